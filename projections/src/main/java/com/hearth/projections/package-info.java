/** Read models written from the kitchens' event journal. */
package com.hearth.projections;

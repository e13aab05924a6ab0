package com.hearth.ocr.worker;

/** The OCR queue on the embedded H2 default. */
class H2DocumentQueueTest extends DocumentQueueContract {
  @Override
  QueueDatabase.Backend backend() {
    return QueueDatabase.Backend.H2;
  }
}

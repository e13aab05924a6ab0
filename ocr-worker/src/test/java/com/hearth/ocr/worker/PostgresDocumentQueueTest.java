package com.hearth.ocr.worker;

/** The OCR queue on PostgreSQL. */
class PostgresDocumentQueueTest extends DocumentQueueContract {
  @Override
  QueueDatabase.Backend backend() {
    return QueueDatabase.Backend.POSTGRES;
  }
}

package com.hearth.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import com.hearth.ocr.DateReader.DayOrder;
import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DateReaderTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2027-03-05|2027-03-05",
        "2027/3/5|2027-03-05",
        "March 5, 2027|2027-03-05",
        "Mar. 5 2027|2027-03-05",
        "5 March 2027|2027-03-05",
        "5th of March, 2027|2027-03-05",
        "05-MAR-2027|2027-03-05",
        "Sept 30, 2027|2027-09-30",
        "17/04/2026|2026-04-17",
        "04/17/2026|2026-04-17",
        "O3/O5/2O27|2027-03-05",
        "Marcb 5, 2027|2027-03-05",
        "12.31.26|2026-12-31"
      })
  void readsDateSpellings(String text, String expected) {
    assertThat(DateReader.first(text, DayOrder.MONTH_FIRST))
        .get()
        .extracting(DateReader.Found::date)
        .isEqualTo(LocalDate.parse(expected));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"2027-02-30", "13/13/2027", "March 35, 2027", "Permit 2027", "1/2/1850"})
  void rejectsWhatIsNoDate(String text) {
    assertThat(DateReader.first(text, DayOrder.UNKNOWN)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Issued 17/04/2026 Expires 03/05/2027|DAY_FIRST",
        "Issued 04/17/2026 Expires 03/05/2027|MONTH_FIRST",
        "Issued 04/03/2026 Expires 03/05/2027|UNKNOWN"
      })
  void decidesTheDayOrderFromTheDocument(String text, DayOrder expected) {
    assertThat(DateReader.dayOrder(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"03/05/2027|DAY_FIRST|2027-05-03", "03/05/2027|MONTH_FIRST|2027-03-05"})
  void followsTheDocumentsDayOrder(String text, DayOrder order, String expected) {
    assertThat(DateReader.first(text, order))
        .get()
        .extracting(DateReader.Found::date)
        .isEqualTo(LocalDate.parse(expected));
  }

  @org.junit.jupiter.api.Test
  void guessesAndCorrectionsLowerTheQuality() {
    assertThat(DateReader.first("2027-03-05", DayOrder.UNKNOWN).orElseThrow().quality())
        .isEqualTo(1.0);
    assertThat(DateReader.first("03/05/2027", DayOrder.UNKNOWN).orElseThrow().quality())
        .isLessThan(0.7);
    assertThat(DateReader.first("2O27-03-05", DayOrder.UNKNOWN).orElseThrow().quality())
        .isLessThan(0.9);
  }
}

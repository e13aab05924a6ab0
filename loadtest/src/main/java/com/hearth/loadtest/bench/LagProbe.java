package com.hearth.loadtest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.hearth.loadtest.sim.Params;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Read-model lag seen from outside while the node is under load: each probe thread holds one
 * distinct slot at a time on its own kitchen and, after the 201, asks the kitchen's booking list (a
 * read-table query) every {@value #POLL_MILLIS} ms until the booking is listed, giving up after 10
 * s. The delay from the 201 to the first listing is one sample, late by at most the interval.
 *
 * <p>The probe's list requests load Hearth only, not the baselines, in the phase whose ratio it
 * shares. Polled every 10 ms (until 2026-11-30 afternoon) its four threads asked about 400 lists a
 * second beside about 1,500 holds; every 50 ms they ask about 80, and the lag, whose target is 1 s,
 * is still read to within 50 ms.
 */
final class LagProbe {

  static final int POLL_MILLIS = 50;

  private final Client client;
  private final List<String> kitchens;
  private final String renter;
  private final AtomicBoolean running = new AtomicBoolean();
  private final List<Long> lags = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger missing = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();

  LagProbe(Client client, List<String> kitchens, String renter) {
    this.client = client;
    this.kitchens = kitchens;
    this.renter = renter;
  }

  void start() {
    running.set(true);
    for (int t = 0; t < kitchens.size(); t++) {
      String kitchen = kitchens.get(t);
      Thread thread = new Thread(() -> probe(kitchen), "lag-probe-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** Stops the probes and waits for them (each finishes its current sample, at most 10 s). */
  void stop() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) t.join(15_000);
  }

  /** The samples so far: delays in milliseconds, and bookings never listed within 10 s. */
  Result result() {
    return new Result(lags.stream().sorted().toList(), missing.get());
  }

  record Result(List<Long> sortedLags, int missing) {
    long percentile(int p) {
      if (sortedLags.isEmpty()) return -1;
      return sortedLags.get(
          Math.min(sortedLags.size() - 1, (int) Math.ceil(p / 100.0 * sortedLags.size()) - 1));
    }
  }

  private void probe(String kitchen) {
    Instant first = Params.firstDay();
    for (int i = 0; running.get() && i < 10_000; i++) {
      try {
        Instant start = first.plus(Duration.ofMinutes(15L * i));
        Instant end = start.plus(Duration.ofMinutes(15));
        HttpResponse<String> held =
            client
                .post("/v1/kitchens/" + kitchen + "/bookings", renter, Params.holdBody(start, end))
                .get();
        if (held.statusCode() != 201) continue;
        long acknowledged = System.nanoTime();
        String id = Client.JSON.readTree(held.body()).get("booking_id").asText();
        String listed =
            "/v1/kitchens/" + kitchen + "/bookings?limit=1&from=" + start + "&to=" + end;
        boolean seen = false;
        while (!seen && System.nanoTime() - acknowledged < 10_000_000_000L) {
          JsonNode items =
              Client.JSON.readTree(client.get(listed, client.host).body()).path("items");
          seen = items.size() == 1 && id.equals(items.get(0).path("booking_id").asText());
          if (!seen) Thread.sleep(POLL_MILLIS);
        }
        if (seen) lags.add((System.nanoTime() - acknowledged) / 1_000_000);
        else missing.incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        // A failed probe request is not a sample; the load phase reports the node's errors.
      }
    }
  }
}

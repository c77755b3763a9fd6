package ai.peregrine.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Enforces the usage plan per key: token bucket first, then the daily quota (UTC day, as API Gateway counts). */
public final class RateLimiter {
    /** {@code retryAfterSeconds}: when to try again, for the Retry-After header; 0 when allowed. */
    public record Decision(boolean allowed, long retryAfterSeconds, String reason) {}

    private final UsagePlan plan;
    private final Clock clock;
    private final ConcurrentMap<String, KeyState> states = new ConcurrentHashMap<>();

    public RateLimiter(UsagePlan plan, Clock clock) {
        this.plan = plan;
        this.clock = clock;
    }

    public Decision acquire(String key) {
        return states.computeIfAbsent(key, k -> new KeyState(plan.burst())).acquire();
    }

    private final class KeyState {
        private double tokens;
        private long lastNanos = System.nanoTime();
        private LocalDate day;
        private long usedToday;

        KeyState(int burst) {
            tokens = burst;
        }

        synchronized Decision acquire() {
            long now = System.nanoTime();
            tokens = Math.min(plan.burst(), tokens + (now - lastNanos) / 1e9 * plan.ratePerSecond());
            lastNanos = now;
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            if (!today.equals(day)) {
                day = today;
                usedToday = 0;
            }
            if (usedToday >= plan.dailyQuota()) {
                long toMidnight = Duration.between(clock.instant(), today.plusDays(1).atStartOfDay(ZoneOffset.UTC)).toSeconds();
                return new Decision(false, Math.max(1, toMidnight), "Limit Exceeded");
            }
            if (tokens < 1) {
                long wait = (long) Math.ceil((1 - tokens) / plan.ratePerSecond());
                return new Decision(false, Math.max(1, wait), "Too Many Requests");
            }
            tokens -= 1;
            usedToday++;
            return new Decision(true, 0, null);
        }
    }
}

package ai.peregrine.gateway;

/** API Gateway's usage plan per key: a token bucket ({@code ratePerSecond} refill, {@code burst} size) and a daily quota. */
public record UsagePlan(double ratePerSecond, int burst, long dailyQuota) {
    public static final UsagePlan DEFAULT = new UsagePlan(10, 20, 10_000);
}

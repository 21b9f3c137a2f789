/**
 * Client-side request rate limit, as client-go's token bucket (`K8S_CLIENT_QPS`/`K8S_CLIENT_BURST`):
 * `burst` requests may go at once, then `qps` per second. Callers that find the bucket empty reserve
 * a future token and wait for it, so concurrent requests are spaced evenly, in call order.
 */
export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}

/**
 * Requests per second when k8sClientQPS is not set. Upstream inherits client-go's 5, which makes
 * re-applying a thousand resources take many minutes; 50 keeps such an apply to about a minute
 * while leaving the API server's own flow control room.
 */
export const DEFAULT_QPS = 50
/** libcalico-go's burst when k8sClientBurst is not set. */
export const DEFAULT_BURST = 100

export class RateLimiter {
  private tokens: number
  private last: number

  /** A negative (or infinite) `qps` turns limiting off, as in client-go. */
  constructor(
    private readonly qps: number,
    private readonly burst: number,
    private readonly clock: Clock = realClock,
  ) {
    this.tokens = Math.max(1, burst)
    this.last = clock.now()
  }

  /** Resolves when the caller may send one request. */
  async take(): Promise<void> {
    if (this.qps < 0 || this.qps === Infinity) return
    const now = this.clock.now()
    this.tokens = Math.min(Math.max(1, this.burst), this.tokens + ((now - this.last) * this.qps) / 1000)
    this.last = now
    this.tokens -= 1
    if (this.tokens >= 0) return
    await this.clock.sleep((-this.tokens / this.qps) * 1000)
  }
}

/** The limiter for the configured QPS and burst; 0 means "not set", as in calicoctl.cfg. */
export function limiterFor(qps: number | undefined, burst: number | undefined, clock?: Clock): RateLimiter {
  return new RateLimiter(qps || DEFAULT_QPS, burst || DEFAULT_BURST, clock)
}

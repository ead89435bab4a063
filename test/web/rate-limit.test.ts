import { addressKey, RateLimiter } from '../../src/web/rate-limit';

describe('the rate limiter', () => {
  it('allows `limit` hits a window, says how long to wait after, and starts again in the next window', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 60_000, () => now);
    expect([limiter.hit('a'), limiter.hit('a'), limiter.hit('a')]).toEqual([undefined, undefined, 60]);
    expect(limiter.hit('b')).toBeUndefined();
    now = 45_000;
    expect(limiter.hit('a')).toBe(15);
    now = 60_000;
    expect(limiter.hit('a')).toBeUndefined();
  });

  it('keeps at most its number of keys, dropping the oldest', () => {
    const limiter = new RateLimiter(1, 60_000, () => 0, 3);
    for (const key of ['a', 'b', 'c', 'd']) limiter.hit(key);
    // 'a' was dropped: it may try again; 'd' is still counted.
    expect(limiter.hit('a')).toBeUndefined();
    expect(limiter.hit('d')).toBe(60);
  });

  it('counts an IPv6 visitor by their /64, and an IPv4 one by their address', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});

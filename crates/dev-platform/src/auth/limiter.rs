//! The sign-in limiter: failed attempts per e-mail address and per client address, counted in
//! memory with a bounded number of entries.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Window in which attempts are counted, and the longest wait once a bucket is full.
pub const WINDOW: Duration = Duration::from_secs(300);
/// Most buckets kept. When it is reached, expired and empty buckets go; a bucket still counting
/// attempts never does, so a flood of new e-mails and addresses cannot reset the count of the
/// account being guessed. Until room frees, attempts that need a new bucket wait (429).
pub const CAPACITY: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Bucket {
    Email(String),
    Address(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Count {
    attempts: u32,
    since: Instant,
}

/// Attempts per bucket. An attempt is counted when it starts, under the same lock as the
/// check, so parallel guesses cannot all pass the check before any is counted; a success gives
/// its attempt back.
pub struct LoginLimiter {
    per_email: u32,
    per_address: u32,
    capacity: usize,
    counts: Mutex<HashMap<Bucket, Count>>,
}

impl LoginLimiter {
    /// A limiter allowing `per_email` and `per_address` failures per [`WINDOW`].
    pub fn new(per_email: u32, per_address: u32) -> Self {
        Self::with_capacity(per_email, per_address, CAPACITY)
    }

    fn with_capacity(per_email: u32, per_address: u32, capacity: usize) -> Self {
        Self {
            per_email,
            per_address,
            capacity,
            counts: Mutex::default(),
        }
    }

    fn buckets(email: &str, addr: Option<IpAddr>) -> Vec<(Bucket, bool)> {
        let mut b = vec![(Bucket::Email(email.to_owned()), true)];
        if let Some(a) = addr {
            b.push((Bucket::Address(client_network(a)), false));
        }
        b
    }

    /// Counts an attempt for `email` from `addr`, or returns the seconds to wait when either
    /// bucket is full (then nothing is counted).
    pub fn begin(&self, email: &str, addr: Option<IpAddr>) -> Result<(), u64> {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let buckets = Self::buckets(email, addr);
        for (bucket, is_email) in &buckets {
            let limit = if *is_email {
                self.per_email
            } else {
                self.per_address
            };
            if let Some(c) = counts.get(bucket) {
                let age = now.duration_since(c.since);
                if age < WINDOW && c.attempts >= limit {
                    return Err((WINDOW - age).as_secs().max(1));
                }
            }
        }
        let new = |counts: &HashMap<Bucket, Count>| {
            buckets
                .iter()
                .filter(|(b, _)| !counts.contains_key(b))
                .count()
        };
        if counts.len() + new(&counts) > self.capacity {
            counts.retain(|_, c| c.attempts > 0 && now.duration_since(c.since) < WINDOW);
            if counts.len() + new(&counts) > self.capacity {
                let oldest = counts.values().map(|c| c.since).min().unwrap_or(now);
                return Err(WINDOW
                    .saturating_sub(now.duration_since(oldest))
                    .as_secs()
                    .max(1));
            }
        }
        for (bucket, _) in buckets {
            let c = counts.entry(bucket).or_insert(Count {
                attempts: 0,
                since: now,
            });
            if now.duration_since(c.since) >= WINDOW {
                *c = Count {
                    attempts: 0,
                    since: now,
                };
            }
            c.attempts += 1;
        }
        Ok(())
    }

    /// A correct password: the e-mail's failures are forgotten and the address gets its
    /// attempt back.
    pub fn succeed(&self, email: &str, addr: Option<IpAddr>) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        counts.remove(&Bucket::Email(email.to_owned()));
        if let Some(c) = addr.and_then(|a| counts.get_mut(&Bucket::Address(client_network(a)))) {
            c.attempts = c.attempts.saturating_sub(1);
        }
    }
}

/// The network an address is counted as: an IPv4 address itself (also when it comes as an
/// IPv4-mapped IPv6 one), an IPv6 address its /64, which one host is commonly given whole: per
/// /128, each of its addresses would bring a new allowance of guesses.
fn client_network(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl LoginLimiter {
        fn len(&self) -> usize {
            self.counts.lock().unwrap_or_else(|p| p.into_inner()).len()
        }
    }

    #[test]
    fn memory_stays_bounded_under_many_addresses_and_e_mails() {
        let l = LoginLimiter::with_capacity(5, 100, 64);
        for i in 0..5_000u32 {
            let addr = IpAddr::from(i.to_be_bytes());
            let _ = l.begin(&format!("user{i}@x.test"), Some(addr));
            assert!(l.len() <= 64, "{} buckets after {i} attempts", l.len());
        }
    }

    #[test]
    fn a_flood_of_new_buckets_never_resets_a_count() {
        let l = LoginLimiter::with_capacity(5, 100, 16);
        let home = Some(IpAddr::from([127, 0, 0, 1]));
        for _ in 0..4 {
            assert!(l.begin("victim@x.test", home).is_ok());
        }
        let mut refused = 0;
        for i in 0..1_000u32 {
            let addr = IpAddr::from((i + 1_000).to_be_bytes());
            if let Err(wait) = l.begin(&format!("user{i}@x.test"), Some(addr)) {
                assert!((1..=300).contains(&wait));
                refused += 1;
            }
        }
        assert!(refused > 0, "the flood filled the limiter");
        assert!(l.len() <= 16);
        assert!(l.begin("victim@x.test", home).is_ok(), "the fifth guess");
        assert!(
            l.begin("victim@x.test", home).is_err(),
            "and no sixth: the four before the flood still count"
        );
    }

    #[test]
    fn an_ipv6_host_counts_as_its_64_and_a_mapped_ipv4_as_itself() {
        let l = LoginLimiter::new(100, 3);
        for i in 1..=3u16 {
            let addr = IpAddr::from([0x2001, 0xdb8, 0, 0, 0, 0, 0, i]);
            assert!(l.begin(&format!("u{i}@x.test"), Some(addr)).is_ok());
        }
        let same_64 = IpAddr::from([0x2001, 0xdb8, 0, 0, 0xffff, 0, 0, 0xbeef]);
        assert!(l.begin("v@x.test", Some(same_64)).is_err());
        let next_64 = IpAddr::from([0x2001, 0xdb8, 0, 1, 0, 0, 0, 1]);
        assert!(l.begin("v@x.test", Some(next_64)).is_ok());

        let v4 = IpAddr::from([192, 0, 2, 7]);
        let mapped = IpAddr::from(std::net::Ipv4Addr::new(192, 0, 2, 7).to_ipv6_mapped());
        for i in 0..3 {
            assert!(l.begin(&format!("w{i}@x.test"), Some(v4)).is_ok());
        }
        assert!(l.begin("x@x.test", Some(mapped)).is_err());
    }

    #[test]
    fn empty_buckets_make_room() {
        let l = LoginLimiter::with_capacity(5, 100, 4);
        for i in 0..10u32 {
            let (email, addr) = (
                format!("user{i}@x.test"),
                Some(IpAddr::from(i.to_be_bytes())),
            );
            assert!(l.begin(&email, addr).is_ok(), "sign-in {i}");
            l.succeed(&email, addr);
        }
    }

    #[test]
    fn the_limit_holds_and_a_success_resets_the_e_mail() {
        let l = LoginLimiter::new(3, 100);
        let a = Some(IpAddr::from([127, 0, 0, 1]));
        for _ in 0..3 {
            assert!(l.begin("a@x.test", a).is_ok());
        }
        let wait = l.begin("a@x.test", a).unwrap_err();
        assert!((1..=300).contains(&wait));
        l.succeed("a@x.test", a);
        assert!(l.begin("a@x.test", a).is_ok());
    }
}

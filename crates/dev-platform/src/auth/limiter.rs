//! The sign-in limiter: failed attempts per e-mail address and per client address, counted in
//! memory with a bounded number of entries.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Window in which attempts are counted, and the longest wait once a bucket is full.
pub const WINDOW: Duration = Duration::from_secs(300);
/// Most buckets kept; beyond it, expired ones go, then the oldest.
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
            b.push((Bucket::Address(a), false));
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
        for (bucket, _) in buckets {
            if !counts.contains_key(&bucket) && counts.len() >= self.capacity {
                evict(&mut counts, now, self.capacity);
            }
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
        if let Some(c) = addr.and_then(|a| counts.get_mut(&Bucket::Address(a))) {
            c.attempts = c.attempts.saturating_sub(1);
        }
    }
}

/// Makes room for one more bucket: expired ones first, else the oldest.
fn evict(counts: &mut HashMap<Bucket, Count>, now: Instant, capacity: usize) {
    counts.retain(|_, c| now.duration_since(c.since) < WINDOW);
    if counts.len() < capacity {
        return;
    }
    if let Some(oldest) = counts
        .iter()
        .min_by_key(|(_, c)| c.since)
        .map(|(b, _)| b.clone())
    {
        counts.remove(&oldest);
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
            assert!(l.begin(&format!("user{i}@x.test"), Some(addr)).is_ok());
            assert!(l.len() <= 64, "{} buckets after {i} attempts", l.len());
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

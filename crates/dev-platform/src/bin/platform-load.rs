//! `platform-load`: a bounded mixed load on a dev platform over loopback, then checks that
//! nothing was lost. Prints the figures as JSON; exits 1 when a check fails.
//!
//! ```text
//! platform-load [--seconds 60] [--clients 32] [--url http://127.0.0.1:PORT]
//! ```
//!
//! Without `--url` it starts its own platform (in-memory database, in this process). With one,
//! the Demo tenant of that platform must be left to it while it runs: the counts it checks
//! assume no one else creates or deletes keys there.

use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use clap::Parser;
use dev_platform::client::{Answer, Client};
use rand::Rng;
use serde_json::{json, Value};

#[derive(Debug, Parser)]
#[command(
    name = "platform-load",
    about = "Mixed load on the dev platform, then consistency checks"
)]
struct Args {
    /// How long the load runs.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Concurrent clients, each on its own connection.
    #[arg(long, default_value_t = 32)]
    clients: usize,
    /// A running platform (loopback only); without it one is started in this process.
    #[arg(long)]
    url: Option<String>,
    /// Provisioning delay of the platform started here.
    #[arg(long, default_value_t = 200)]
    provisioning_delay_ms: u64,
    /// Most keys one client creates (keeps the list, which every client reads, bounded).
    #[arg(long, default_value_t = 40)]
    creates_per_client: usize,
}

const TENANT: &str = "tenant--demo";
const ROUTES: [&str; 5] = ["list", "base", "detail", "create", "delete"];

/// The statuses a route may answer with under this load: 200, and 409 for a delete of a key
/// still being provisioned.
fn allowed(route: &str, status: StatusCode) -> bool {
    status == StatusCode::OK || (route == "delete" && status == StatusCode::CONFLICT)
}

/// What one client did and saw.
#[derive(Default)]
struct Tally {
    latency_ms: BTreeMap<&'static str, Vec<f64>>,
    errors: BTreeMap<String, u64>,
    unexpected: u64,
    created: Vec<String>,
    deleted: Vec<String>,
}

impl Tally {
    fn record(&mut self, route: &'static str, t0: Instant, r: &Result<Answer, String>) -> bool {
        self.latency_ms
            .entry(route)
            .or_default()
            .push(t0.elapsed().as_secs_f64() * 1000.0);
        match r {
            Ok(a) if allowed(route, a.status) => a.status == StatusCode::OK,
            Ok(a) => {
                self.unexpected += 1;
                *self
                    .errors
                    .entry(format!("{route} {}", a.status.as_u16()))
                    .or_default() += 1;
                false
            }
            Err(_) => {
                self.unexpected += 1;
                *self.errors.entry(format!("{route} transport")).or_default() += 1;
                false
            }
        }
    }
}

async fn send(
    c: &mut Client,
    m: Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
    idem: Option<&str>,
) -> Result<Answer, String> {
    let mut headers = vec![("authorization", token)];
    if let Some(k) = idem {
        headers.push(("idempotency-key", k));
    }
    c.send(m, path, &headers, body)
        .await
        .map_err(|e| e.to_string())
}

async fn login(addr: SocketAddr, email: &str) -> Result<String, String> {
    let body = json!({"email": email, "password": "demo-password"});
    let a = Client::new(addr)
        .send(Method::POST, "/auth/login", &[], Some(&body))
        .await
        .map_err(|e| e.to_string())?;
    a.json()["data"]["token"]
        .as_str()
        .map(|t| format!("Bearer {t}"))
        .ok_or_else(|| format!("sign-in of {email} answered {}", a.status))
}

/// One client: a random mix until `until`.
async fn client(
    addr: SocketAddr,
    token: String,
    body: Value,
    cap: usize,
    seeded: String,
    until: Instant,
) -> Tally {
    let mut c = Client::new(addr);
    let mut t = Tally::default();
    let mut live: Vec<String> = Vec::new();
    let keys = format!("/api/tenants/{TENANT}/keys");
    let mut n = 0u64;
    while Instant::now() < until {
        n += 1;
        let roll = rand::thread_rng().gen_range(0..100);
        let t0 = Instant::now();
        if roll < 40 {
            let r = send(&mut c, Method::GET, &keys, &token, None, None).await;
            t.record("list", t0, &r);
        } else if roll < 55 {
            let r = send(
                &mut c,
                Method::GET,
                &format!("{keys}/base"),
                &token,
                None,
                None,
            )
            .await;
            t.record("base", t0, &r);
        } else if roll < 70 || (roll < 85 && t.created.len() >= cap) {
            let id = live.first().unwrap_or(&seeded).clone();
            let r = send(
                &mut c,
                Method::GET,
                &format!("{keys}/{id}"),
                &token,
                None,
                None,
            )
            .await;
            t.record("detail", t0, &r);
        } else if roll < 85 {
            let idem = format!("load-{}-{n}", rand::thread_rng().gen::<u64>());
            let r = send(
                &mut c,
                Method::POST,
                &keys,
                &token,
                Some(&body),
                Some(&idem),
            )
            .await;
            if t.record("create", t0, &r) {
                if let Some(id) = r
                    .ok()
                    .and_then(|a| a.json()["data"]["id"].as_str().map(str::to_owned))
                {
                    t.created.push(id.clone());
                    live.push(id);
                }
            }
        } else if live.is_empty() {
            let r = send(&mut c, Method::GET, &keys, &token, None, None).await;
            t.record("list", t0, &r);
        } else {
            let id = live.swap_remove(rand::thread_rng().gen_range(0..live.len()));
            let r = send(
                &mut c,
                Method::DELETE,
                &format!("{keys}/{id}"),
                &token,
                None,
                None,
            )
            .await;
            match &r {
                Ok(a) if a.status == StatusCode::OK => t.deleted.push(id),
                // Still provisioning: it stays a candidate.
                Ok(a) if a.status == StatusCode::CONFLICT => live.push(id),
                _ => {}
            }
            t.record("delete", t0, &r);
        }
    }
    t
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    (sorted[i] * 100.0).round() / 100.0
}

async fn list(addr: SocketAddr, token: &str) -> Result<Value, String> {
    let a = send(
        &mut Client::new(addr),
        Method::GET,
        &format!("/api/tenants/{TENANT}/keys"),
        token,
        None,
        None,
    )
    .await?;
    if a.status != StatusCode::OK {
        return Err(format!("the list answered {}", a.status));
    }
    Ok(a.json()["data"].clone())
}

fn count(list: &Value, what: &str) -> u64 {
    list["insights"][what].as_u64().unwrap_or(0)
}

async fn run(args: Args) -> Result<(Value, bool), String> {
    let addr = match &args.url {
        Some(url) => dev_platform::client::loopback_addr(url)?,
        None => {
            let mut opts = dev_platform::Options::for_tests(args.provisioning_delay_ms);
            opts.port = 0;
            dev_platform::spawn(&opts)
                .await
                .map_err(|e| e.to_string())?
                .0
        }
    };
    let tokens = [
        login(addr, "owner@demo.test").await?,
        login(addr, "developer@demo.test").await?,
    ];
    let base = send(
        &mut Client::new(addr),
        Method::GET,
        &format!("/api/tenants/{TENANT}/keys/base"),
        &tokens[0],
        None,
        None,
    )
    .await?
    .json();
    let model = &base["data"]["model"];
    let app = &model["applications"][0];
    // The first Arx provisions; failing ones are listed last.
    let body = json!({"api_key": {"application_id": app["id"], "application_technology": app["application_technology"]["id"], "cluster_id": model["clusters"][0]["id"]}});
    let before = list(addr, &tokens[0]).await?;
    let seeded = before["api_keys"][0]["id"]
        .as_str()
        .ok_or("the tenant has no key")?
        .to_owned();

    let started = Instant::now();
    let until = started + Duration::from_secs(args.seconds);
    let mut clients = tokio::task::JoinSet::new();
    for i in 0..args.clients {
        let token = tokens[i % 2].clone();
        clients.spawn(client(
            addr,
            token,
            body.clone(),
            args.creates_per_client,
            seeded.clone(),
            until,
        ));
    }
    let tallies = clients.join_all().await;
    let elapsed = started.elapsed().as_secs_f64();

    // Let every create and delete reach its final status (polled: the target's provisioning
    // delay is not known here), then read the list once more.
    let give_up = Instant::now() + Duration::from_secs(30);
    let after = loop {
        let l = list(addr, &tokens[0]).await?;
        let pending = l["api_keys"]
            .as_array()
            .is_some_and(|ks| ks.iter().any(|k| k["status"] == "pending"));
        if !pending || Instant::now() > give_up {
            break l;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let statuses: BTreeMap<&str, &str> = after["api_keys"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| Some((k["id"].as_str()?, k["status"].as_str()?)))
        .collect();

    let mut latency: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    let (mut created, mut deleted, mut unexpected) = (Vec::new(), HashSet::new(), 0);
    for t in tallies {
        for (route, ms) in t.latency_ms {
            latency.entry(route).or_default().extend(ms);
        }
        for (kind, n) in t.errors {
            *errors.entry(kind).or_default() += n;
        }
        unexpected += t.unexpected;
        created.extend(t.created);
        deleted.extend(t.deleted);
    }
    let lost: Vec<&String> = created
        .iter()
        .filter(|id| !statuses.contains_key(id.as_str()))
        .collect();
    let not_deleted = deleted
        .iter()
        .filter(|id| statuses.get(id.as_str()) != Some(&"deleted"))
        .count();
    let not_active = created
        .iter()
        .filter(|id| !deleted.contains(*id) && statuses.get(id.as_str()) != Some(&"active"))
        .count();
    let checks = json!({
        "no_unexpected_status": unexpected == 0,
        "every_created_key_listed": lost.is_empty(),
        "every_delete_ended_deleted": not_deleted == 0,
        "every_other_created_key_active": not_active == 0,
        "total_keys_adds_up": count(&after, "total_keys") == count(&before, "total_keys") + created.len() as u64,
        "total_deleted_adds_up": count(&after, "total_deleted") == count(&before, "total_deleted") + deleted.len() as u64,
    });
    let passed = checks
        .as_object()
        .is_some_and(|c| c.values().all(|v| v == &json!(true)));
    let requests: usize = latency.values().map(Vec::len).sum();
    let routes: BTreeMap<&str, Value> = ROUTES
        .iter()
        .map(|r| {
            let mut ms = latency.remove(r).unwrap_or_default();
            ms.sort_by(f64::total_cmp);
            (*r, json!({"requests": ms.len(), "p50_ms": quantile(&ms, 0.5), "p99_ms": quantile(&ms, 0.99), "max_ms": quantile(&ms, 1.0)}))
        })
        .collect();
    let report = json!({
        "conditions": {"seconds": args.seconds, "clients": args.clients, "target": args.url.clone().unwrap_or_else(|| format!("in-process http://{addr}")), "cpus": std::thread::available_parallelism().map_or(0, |n| n.get())},
        "requests": requests,
        "requests_per_second": (requests as f64 / elapsed).round(),
        "routes": routes,
        "errors": errors,
        "keys": {"created": created.len(), "deleted": deleted.len(), "lost": lost.len(), "deletes_not_ended_deleted": not_deleted, "created_not_active": not_active},
        "checks": checks,
        "passed": passed,
    });
    Ok((report, passed))
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok((report, passed)) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
            if passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("platform-load: {e}");
            ExitCode::FAILURE
        }
    }
}

//! Display names of the ids the platform stores (technologies, providers, regions, …): the words
//! the demo data shows beside each id.

use platform_types::{Named, Technology};

/// The wire shape of an application technology id.
pub fn technology(id: &str) -> Technology {
    let (name, description, cors, order, is_default) = match id {
        "server" => (
            "Server",
            "Server-side applications using the server SDKs",
            false,
            1,
            true,
        ),
        "client" => ("Client", "Browser and mobile applications", true, 2, false),
        other => (other, "", false, 9, false),
    };
    Technology {
        id: id.into(),
        name: name.into(),
        description: description.into(),
        cors,
        icon: id.into(),
        order,
        enable: true,
        is_default,
    }
}

fn title(id: &str) -> String {
    let mut name: String = id.replace('-', " ");
    if let Some(first) = name.get(..1) {
        name = first.to_uppercase() + &name[1..];
    }
    name
}

/// The `{id, name}` of an enumerated id of `kind` (provider, region, …).
pub fn enum_named(kind: &str, id: &str) -> Named {
    let name = match (kind, id) {
        ("provider", "gcp") => "Google Cloud".into(),
        ("provider", "aws") => "AWS".into(),
        ("provider", "azure") => "Azure".into(),
        ("region", "au") => "Australia".into(),
        ("region", "gb") => "United Kingdom".into(),
        ("region", "sg") => "Singapore".into(),
        ("region", "us") => "United States".into(),
        ("encryption", "aes-gcm-128") => "AES-GCM-128".into(),
        ("encryption", "aes-gcm-256") => "AES-GCM-256".into(),
        ("encryption", "cha-cha-20-poly-1305") => "ChaCha20-Poly1305".into(),
        ("rotation", "3-monthly") => "Every 3 months".into(),
        ("rotation", "6-monthly") => "Every 6 months".into(),
        _ => title(id),
    };
    Named::new(id, &name)
}

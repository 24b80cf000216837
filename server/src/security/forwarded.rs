//! The client's address behind proxies (`LANYARD_TRUSTED_PROXIES`).
//!
//! By default nothing is trusted: the address is the connection's peer, and
//! `X-Forwarded-For` / `Forwarded` are ignored (anyone can write them).
//! When the peer is a trusted proxy, the forwarding chain is read right to
//! left, each hop added by the one after it: the first address that is not
//! a trusted proxy is the client. So a client that forges the header moves
//! its address by nothing: its own hop is what its proxy appended. A hop
//! that is not an address (`unknown`, an obfuscated `_name`, garbage) ends
//! the walk at the last address known good. `Forwarded` (RFC 7239) is read
//! when present, else `X-Forwarded-For`.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The networks whose peers' forwarding headers are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// From `LANYARD_TRUSTED_PROXIES`' entries: CIDRs or single addresses.
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        let mut nets = Vec::new();
        for entry in entries.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
            let net = entry
                .parse::<IpNet>()
                .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!("LANYARD_TRUSTED_PROXIES: {entry:?} is neither a CIDR nor an address")
                })?;
            nets.push(net);
        }
        Ok(Self(nets))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a request from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = canonical(peer);
        if !self.trusts(client) {
            return client;
        }
        for hop in chain(headers).into_iter().rev() {
            match hop {
                Some(ip) => {
                    client = canonical(ip);
                    if !self.trusts(client) {
                        return client;
                    }
                }
                None => return client,
            }
        }
        client
    }
}

/// IPv4 addresses mapped into IPv6 (`::ffff:10.0.0.1`, what a dual-stack
/// socket shows) as the IPv4 addresses they are.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The forwarding chain, first hop first; `None` for a hop that is not an
/// address.
fn chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<&str> = headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|value| value.split(','))
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(key, _)| key.trim().eq_ignore_ascii_case("for"))
                    .and_then(|(_, value)| node(value.trim().trim_matches('"')))
            })
            .collect();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| match v.to_str() {
            Ok(text) => text.split(',').map(|h| h.trim().parse().ok()).collect(),
            Err(_) => vec![None],
        })
        .collect()
}

/// An RFC 7239 node: `192.0.2.1`, `192.0.2.1:80`, `[2001:db8::1]`,
/// `[2001:db8::1]:80`; anything else (`unknown`, `_hidden`) is no address.
fn node(value: &str) -> Option<IpAddr> {
    if let Some(rest) = value.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    value
        .parse()
        .ok()
        .or_else(|| value.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn proxies(nets: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(&nets.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()).unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn by_default_the_peer_is_the_client_whatever_it_says() {
        let none = TrustedProxies::default();
        let h = headers(&[("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(none.client(ip("10.0.0.9"), &h), ip("10.0.0.9"));
    }

    #[test]
    fn an_untrusted_peers_header_is_ignored_even_malformed() {
        let p = proxies(&["10.0.0.0/8"]);
        let h = headers(&[("x-forwarded-for", "not an address, 1.2.3.4")]);
        assert_eq!(p.client(ip("203.0.113.7"), &h), ip("203.0.113.7"));
    }

    #[test]
    fn behind_one_trusted_proxy_the_last_hop_is_the_client() {
        let p = proxies(&["10.0.0.1"]);
        let h = headers(&[("x-forwarded-for", "198.51.100.2")]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("198.51.100.2"));
    }

    #[test]
    fn a_forged_hop_moves_the_address_by_nothing() {
        // The client wrote "1.2.3.4"; nginx appended the real address.
        let p = proxies(&["10.0.0.0/8"]);
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.2")]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("198.51.100.2"));
        // Through two trusted proxies, the hop before them.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.2, 10.0.0.5")]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("198.51.100.2"));
        // Split over several headers, in order.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "198.51.100.2"),
        ]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("198.51.100.2"));
    }

    #[test]
    fn a_malformed_hop_stops_at_the_last_good_address() {
        let p = proxies(&["10.0.0.0/8"]);
        let h = headers(&[("x-forwarded-for", "198.51.100.2, garbage, 10.0.0.5")]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("10.0.0.5"));
        let h = headers(&[("x-forwarded-for", "")]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("10.0.0.1"));
    }

    #[test]
    fn forwarded_is_read_as_rfc_7239_writes_it() {
        // RFC 7239, section 4's examples.
        let p = proxies(&["203.0.113.0/24", "10.0.0.0/8"]);
        let h = headers(&[(
            "forwarded",
            "for=192.0.2.60;proto=http;by=203.0.113.43, for=\"[2001:db8:cafe::17]:4711\"",
        )]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("2001:db8:cafe::17"));
        let h = headers(&[("forwarded", "For=\"192.0.2.43:47011\", for=203.0.113.60")]);
        assert_eq!(p.client(ip("10.0.0.1"), &h), ip("192.0.2.43"));
        let h = headers(&[("forwarded", "for=unknown"), ("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(
            p.client(ip("10.0.0.1"), &h),
            ip("10.0.0.1"),
            "Forwarded wins; unknown stops"
        );
    }

    #[test]
    fn mapped_ipv4_peers_are_ipv4() {
        let p = proxies(&["127.0.0.1/32"]);
        let h = headers(&[("x-forwarded-for", "198.51.100.2")]);
        assert_eq!(p.client(ip("::ffff:127.0.0.1"), &h), ip("198.51.100.2"));
    }

    #[test]
    fn bad_settings_are_refused_with_the_setting_named() {
        let err = TrustedProxies::parse(&["10.0.0.0/33".into()]).unwrap_err();
        assert!(err.contains("LANYARD_TRUSTED_PROXIES"), "{err}");
        assert!(
            TrustedProxies::parse(&["10.0.0.0/8".into(), " ::1 ".into(), String::new()]).is_ok()
        );
    }
}

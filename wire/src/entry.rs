//! Which of the SPA's bundles answers a path.
//!
//! The SPA ships as separate wasm bundles (issue 8's size budget, see
//! docs/performance.md "SPA size"): the directory every employee opens, the
//! "My photo" upload tool, HR's desk, and the org chart. Each bundle is a
//! complete Leptos app for its own paths. The server picks the page to serve with
//! [`Entry::for_path`], and each app's router sends any other path to the
//! server with a full page load, using the same function: one table, so the
//! two can never disagree (and ping-pong a path between them).

/// One of the SPA's bundles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entry {
    /// Sign-in, the directory, profiles and everything unknown (its 404).
    Directory,
    /// `/me/photo`: choosing, cropping and uploading one's photo.
    MyPhoto,
    /// `/hr` and everything under it: HR's desk.
    Hr,
    /// `/people/{id}/org`: the org chart (a tree of people with its own
    /// views and keys, which the directory's budget had no room for).
    Org,
}

impl Entry {
    pub const ALL: [Self; 4] = [Self::Directory, Self::MyPhoto, Self::Hr, Self::Org];

    /// The bundle that answers `path` (a URL's path, without query).
    pub fn for_path(path: &str) -> Self {
        let path = path.trim_end_matches('/');
        if path == "/me/photo" {
            Self::MyPhoto
        } else if path == "/hr" || path.starts_with("/hr/") {
            Self::Hr
        } else if path
            .strip_prefix("/people/")
            .and_then(|rest| rest.strip_suffix("/org"))
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
        {
            Self::Org
        } else {
            Self::Directory
        }
    }

    /// The bundle's page inside the built SPA folder (`dist/`).
    pub fn html_file(self) -> &'static str {
        match self {
            Self::Directory => "index.html",
            Self::MyPhoto => "apps/my-photo/index.html",
            Self::Hr => "apps/hr/index.html",
            Self::Org => "apps/org/index.html",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_their_bundles() {
        for (path, entry) in [
            ("/", Entry::Directory),
            ("", Entry::Directory),
            ("/sign-in", Entry::Directory),
            ("/people/7", Entry::Directory),
            ("/nowhere", Entry::Directory),
            ("/me/photo", Entry::MyPhoto),
            ("/me/photo/", Entry::MyPhoto),
            ("/me/photos", Entry::Directory),
            ("/me", Entry::Directory),
            ("/hr", Entry::Hr),
            ("/hr/", Entry::Hr),
            ("/hr/reviews", Entry::Hr),
            ("/hr/people/12", Entry::Hr),
            ("/hrx", Entry::Directory),
            ("/apps/hr/index.html", Entry::Directory),
            ("/people/7/org", Entry::Org),
            ("/people/7/org/", Entry::Org),
            ("/people/x/org", Entry::Org),
            ("/people//org", Entry::Directory),
            ("/people/7/org/x", Entry::Directory),
            ("/people/org", Entry::Directory),
        ] {
            assert_eq!(Entry::for_path(path), entry, "{path:?}");
        }
    }

    #[test]
    fn every_bundle_has_its_own_page() {
        let mut files: Vec<_> = Entry::ALL.iter().map(|e| e.html_file()).collect();
        files.sort_unstable();
        files.dedup();
        assert_eq!(files.len(), Entry::ALL.len());
    }
}

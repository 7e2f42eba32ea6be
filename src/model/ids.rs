//! Typed ids: an `AreaId` cannot be passed where an `EvidenceId` is meant.

use std::borrow::Borrow;
use std::fmt;

use serde::Serialize;

macro_rules! id_type {
    ($($(#[$m:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }
    )+};
}

id_type!(
    /// An area of weakness, e.g. `A6`.
    AreaId,
    /// An action within an area, e.g. `A6.1`.
    ActionId,
    /// A measure within an area, e.g. `A6.M1`.
    MeasureId,
    /// An evidence item, e.g. `E-2025-014`.
    EvidenceId,
    /// An organisation, e.g. `kcc`.
    OrgId,
    /// A monitoring visit, e.g. `2025-05`.
    VisitId,
);

/// `[A-Za-z0-9][A-Za-z0-9._-]*`: area, action, measure, evidence and organisation ids.
pub fn is_item_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// `[a-z0-9-]+`: the plan id and visit ids, used in file names.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

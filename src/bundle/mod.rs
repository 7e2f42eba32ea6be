//! Reading bundles (`pack build --bundle`): checking one against its
//! signature and manifest (`verify`), for `pack verify` and `pack portfolio`
//! alike. Writing them is `crate::output::bundle`.

pub mod verify;

pub use verify::{Request, Signature, Verified, verify};

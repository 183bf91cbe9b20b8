//! `ocrtidy report`: one self-contained HTML page for review.

use std::path::Path;

use anyhow::{Result, bail};

use super::ReportArgs;

pub fn run(args: ReportArgs, rules_dir: Option<&Path>) -> Result<u8> {
    let _ = (&args, rules_dir);
    bail!("report: not implemented yet")
}

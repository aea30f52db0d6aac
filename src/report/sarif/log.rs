//! The part of the SARIF 2.1.0 object model that leakward writes, as serde types.
//!
//! Names follow the specification (`physicalLocation`, `partialFingerprints`, ...), so the
//! serialized log is the document the schema describes; `tests/report_formats.rs` validates
//! real output against the published SARIF 2.1.0 JSON schema.

use serde::Serialize;

use crate::chunk::Commit;

/// `sarifLog`: the whole document.
#[derive(Serialize)]
pub(super) struct Log<'a> {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run<'a>>,
}

/// `run`: one invocation of one tool and what it found.
#[derive(Serialize)]
pub(super) struct Run<'a> {
    pub tool: Tool<'a>,
    pub invocations: Vec<Invocation>,
    pub results: Vec<Result<'a>>,
    /// A property bag: in a multi-repository run, the coverage record of each repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<RunProperties<'a>>,
}

/// What leakward adds to a run's property bag.
#[derive(Serialize)]
pub(super) struct RunProperties<'a> {
    pub repositories: &'a [crate::report::coverage::UnitRecord],
}

#[derive(Serialize)]
pub(super) struct Tool<'a> {
    pub driver: Driver<'a>,
}

/// `toolComponent` for the driver.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Driver<'a> {
    pub name: &'static str,
    pub semantic_version: &'static str,
    pub information_uri: &'static str,
    pub rules: Vec<Rule<'a>>,
}

/// `reportingDescriptor`: one rule that produced a result.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Rule<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub short_description: Message,
    pub full_description: Message,
    pub help: Help,
    pub default_configuration: Configuration,
    pub properties: RuleProperties,
}

/// `message` (and `multiformatMessageString` where only text is given).
#[derive(Serialize)]
pub(super) struct Message {
    pub text: String,
}

/// `multiformatMessageString` with text and Markdown.
#[derive(Serialize)]
pub(super) struct Help {
    pub text: String,
    pub markdown: String,
}

/// `reportingConfiguration`.
#[derive(Serialize)]
pub(super) struct Configuration {
    pub level: Level,
}

/// A result's or notification's `level`.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(super) enum Level {
    Error,
    Warning,
    Note,
}

/// Property bag of a rule: what GitHub code scanning reads to rank alerts.
#[derive(Serialize)]
pub(super) struct RuleProperties {
    pub tags: [&'static str; 2],
    pub precision: &'static str,
    #[serde(rename = "security-severity")]
    pub security_severity: &'static str,
}

/// `result`: one finding.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Result<'a> {
    pub rule_id: &'a str,
    pub rule_index: usize,
    pub level: Level,
    pub message: Message,
    pub locations: Vec<Location>,
    pub partial_fingerprints: PartialFingerprints,
    pub properties: ResultProperties<'a>,
}

/// `location` with its `physicalLocation`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Location {
    pub physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

#[derive(Serialize)]
pub(super) struct ArtifactLocation {
    /// A relative URI reference.
    pub uri: String,
}

/// `region`: 1-based lines and column.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Region {
    pub start_line: u32,
    pub start_column: u32,
    pub end_line: u32,
}

/// The content fingerprint under a versioned name, so GitHub tracks one secret as one alert.
#[derive(Serialize)]
pub(super) struct PartialFingerprints {
    #[serde(rename = "leakwardFingerprint/v1")]
    pub v1: String,
}

/// Property bag of a result.
#[derive(Serialize)]
pub(super) struct ResultProperties<'a> {
    pub confidence: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<&'a Commit>,
}

/// `invocation`: whether the run read everything, and what it could not.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Invocation {
    pub execution_successful: bool,
    pub tool_execution_notifications: Vec<Notification>,
}

/// `notification`: one item not read (`error`) or one accepted limit (`warning`).
#[derive(Serialize)]
pub(super) struct Notification {
    pub level: Level,
    pub message: Message,
}

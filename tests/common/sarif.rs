//! The SARIF 2.1.0 JSON schema, which reports are validated against.

use serde_json::Value;

/// The SARIF 2.1.0 schema, read offline.
pub fn sarif_schema() -> jsonschema::Validator {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/sarif-2.1.0-rtm.5.json"
    );
    let text = std::fs::read_to_string(path).expect("the SARIF schema is shipped with the tests");
    let mut schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    // The rtm.5 schema's `language` patterns (of `run` and `toolComponent`) have a stray
    // `]` (`...{2}]?$`) that the crate's check of the schema itself refuses; the later errata
    // schema reads as below. leakward writes no `language`, so nothing checked changes.
    for definition in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][definition]["properties"]["language"]["pattern"];
        assert_eq!(language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
    }
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

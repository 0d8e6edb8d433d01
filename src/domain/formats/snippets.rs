//! What Share offers an author to paste, each carrying the scenario and the
//! embed options: the link, a Markdown fenced block (pretty JSON, for any
//! site generator), an `<async-playground>` element, and an iframe that
//! embed.js sizes to its content. docs/embedding.md explains each.

use crate::domain::formats::codec;
use crate::domain::formats::embed_options::EmbedOptions;
use crate::domain::scenario::doc::ScenarioDoc;

/// The forms Share offers, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Snippet {
    Link,
    Markdown,
    Element,
    Iframe,
}

impl Snippet {
    pub const ALL: [Snippet; 4] = [
        Snippet::Link,
        Snippet::Markdown,
        Snippet::Element,
        Snippet::Iframe,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Snippet::Link => "Link",
            Snippet::Markdown => "Markdown",
            Snippet::Element => "HTML element",
            Snippet::Iframe => "iframe",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Snippet::Link => "link",
            Snippet::Markdown => "markdown",
            Snippet::Element => "element",
            Snippet::Iframe => "iframe",
        }
    }

    /// What to do with it, under the text.
    pub fn hint(self) -> &'static str {
        match self {
            Snippet::Link => "Opens exactly this scenario in the full playground.",
            Snippet::Markdown => "A fenced code block for mdBook, MkDocs, Hugo, Jekyll, Docusaurus or Sphinx/MyST: readable JSON until embed.js (added once to the site) turns it into a playground.",
            Snippet::Element => "For any HTML page: the script once per page, then the element.",
            Snippet::Iframe => "An isolated frame; embed.js sizes it to its content.",
        }
    }
}

/// The folder of the app's address (`https://x.org/playground/` for
/// `…/playground/index.html` or `…/playground/`).
fn folder(app_url: &str) -> &str {
    match app_url.rfind('/') {
        Some(at) => &app_url[..=at],
        None => app_url,
    }
}

/// Text safe inside a double- or single-quoted HTML attribute.
fn attribute(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// The script tag that loads embed.js from the app's folder.
fn script(app_url: &str) -> String {
    format!(
        "<script defer src=\"{}embed.js\"></script>",
        attribute(folder(app_url))
    )
}

/// The scenario's pretty JSON; for a fenced block the options go in an
/// `"embed"` object (a fence has no attributes; embed.js takes it out).
fn json(doc: &ScenarioDoc, options: Option<&EmbedOptions>) -> String {
    let json = codec::to_json(doc);
    let fields: Vec<String> = options
        .map(EmbedOptions::attributes)
        .unwrap_or_default()
        .into_iter()
        .map(|(key, value)| format!("\"{key}\": \"{value}\""))
        .collect();
    if fields.is_empty() {
        return json;
    }
    // The writer starts every document with "{\n".
    let embed = format!("\n  \"embed\": {{{}}},", fields.join(", "));
    json.replacen('\n', &format!("{embed}\n"), 1)
}

/// `snippet` for the scenario `doc` with `options`, the full app at
/// `app_url` (no query, no fragment).
pub fn write(snippet: Snippet, doc: &ScenarioDoc, options: &EmbedOptions, app_url: &str) -> String {
    let fragment = codec::to_fragment(doc, false);
    match snippet {
        Snippet::Link => format!("{app_url}#{fragment}"),
        Snippet::Markdown => {
            let json = json(doc, Some(options));
            // Longer than any run of backticks inside (CommonMark).
            let mut longest = 0;
            let mut run = 0;
            for c in json.chars() {
                run = if c == '`' { run + 1 } else { 0 };
                longest = longest.max(run);
            }
            let fence = "`".repeat((longest + 1).max(3));
            format!("{fence}async-playground\n{json}\n{fence}")
        }
        Snippet::Element => {
            let options: String = options
                .attributes()
                .into_iter()
                .map(|(key, value)| format!(" {key}=\"{}\"", attribute(&value)))
                .collect();
            format!(
                "{}\n<async-playground{options} scenario='{}'></async-playground>",
                script(app_url),
                attribute(&json(doc, None))
            )
        }
        Snippet::Iframe => {
            let query = options.query();
            let query = if query.is_empty() {
                String::new()
            } else {
                format!("&{query}")
            };
            let title = if doc.title.is_empty() {
                "Async Playground"
            } else {
                &doc.title
            };
            format!(
                "<iframe src=\"{}index.html?embed{}#{fragment}\" title=\"{}\" height=\"480\" loading=\"lazy\" data-async-playground-frame></iframe>\n{}",
                attribute(folder(app_url)),
                attribute(&query),
                attribute(title),
                script(app_url)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scenario::RunMode;

    fn doc(title: &str, label: &str) -> ScenarioDoc {
        let text = format!(
            r#"{{"v": 1, "title": {}, "mode": "sequential", "tasks": [{{"label": {}, "ms": 300}}]}}"#,
            serde_json::to_string(title).unwrap(),
            serde_json::to_string(label).unwrap()
        );
        codec::from_json(&text).unwrap()
    }

    fn trimmed() -> EmbedOptions {
        let mut o = EmbedOptions::default();
        o.set("modes", "sequential gathered");
        o.set("controls", "minimal");
        o
    }

    const APP: &str = "https://example.org/playground/index.html";

    #[test]
    fn the_link_opens_the_same_scenario() {
        let d = doc("T", "fetch");
        let link = write(Snippet::Link, &d, &trimmed(), APP);
        let fragment = link.strip_prefix(&format!("{APP}#")).unwrap();
        let back = codec::from_fragment(fragment).unwrap().unwrap();
        assert_eq!(back.doc, d);
    }

    #[test]
    fn the_markdown_block_is_pretty_json_with_the_options_inside() {
        let d = doc("T", "fetch");
        let md = write(Snippet::Markdown, &d, &trimmed(), APP);
        let body = md
            .strip_prefix("```async-playground\n")
            .and_then(|b| b.strip_suffix("\n```"))
            .unwrap();
        assert!(body.contains("\n  \"tasks\": [\n"), "pretty: {body}");
        let value: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(value["embed"]["modes"], "sequential gathered");
        assert_eq!(value["embed"]["controls"], "minimal");
        // Without its "embed" object it is the scenario (embed.js takes it out).
        let mut scenario = value.clone();
        scenario.as_object_mut().unwrap().remove("embed");
        assert_eq!(codec::from_json(&scenario.to_string()).unwrap(), d);
        // No options: no "embed" object.
        let plain = write(Snippet::Markdown, &d, &EmbedOptions::default(), APP);
        assert!(!plain.contains("embed"));
    }

    #[test]
    fn a_label_with_backticks_gets_a_longer_fence() {
        let md = write(
            Snippet::Markdown,
            &doc("", "a ```` b"),
            &EmbedOptions::default(),
            APP,
        );
        assert!(md.starts_with("`````async-playground\n"), "{md}");
        assert!(md.ends_with("\n`````"));
    }

    #[test]
    fn the_element_escapes_the_json_for_its_attribute() {
        let d = doc("it's <b>", "a & 'b'");
        let html = write(Snippet::Element, &d, &trimmed(), APP);
        assert!(html.starts_with(
            "<script defer src=\"https://example.org/playground/embed.js\"></script>\n<async-playground modes=\"sequential gathered\" controls=\"minimal\" scenario='"
        ), "{html}");
        let value = html
            .split_once("scenario='")
            .unwrap()
            .1
            .strip_suffix("'></async-playground>")
            .unwrap();
        assert!(!value.contains('\'') && !value.contains('<'));
        let unescaped = value
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        assert_eq!(codec::from_json(&unescaped).unwrap(), d);
    }

    #[test]
    fn the_iframe_carries_options_as_link_parameters_and_loads_embed_js() {
        let d = doc("Say \"hi\"", "x");
        let html = write(
            Snippet::Iframe,
            &d,
            &trimmed(),
            "https://example.org/playground/",
        );
        assert!(html.starts_with(
            "<iframe src=\"https://example.org/playground/index.html?embed&amp;modes=sequential+gathered&amp;controls=minimal#s1="
        ), "{html}");
        assert!(html.contains("title=\"Say &quot;hi&quot;\""));
        assert!(html.contains("data-async-playground-frame"));
        assert!(html
            .ends_with("<script defer src=\"https://example.org/playground/embed.js\"></script>"));
        let untitled = write(
            Snippet::Iframe,
            &doc("", "x"),
            &EmbedOptions::default(),
            APP,
        );
        assert!(untitled.contains("index.html?embed#s1="));
        assert!(untitled.contains("title=\"Async Playground\""));
        assert_eq!(d.mode, RunMode::Sequential);
    }
}

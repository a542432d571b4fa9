//! The stytch crate's response models, read from its own source (the files under src/consumer,
//! src/b2b and src/lib.rs that Cargo unpacked), and a comparison of a raw JSON response against
//! them that lists every difference at once, where serde stops at the first:
//!   missing   a field the model requires (not an Option) that the JSON lacks or sends as null
//!   enums     a value of a model enum that the enum does not declare
//!   types     a value of the wrong JSON type (a string where the model has a bool, and so on)
//!   extras    a field the JSON sends that the model does not know (serde ignores it)
//! The crate's models are generated and regular: `#[derive(.., Deserialize, ..)] pub struct X {
//! pub field: Type, .. }` with `#[serde(rename = "..")]`, `#[serde(alias = "..")]` and
//! `#[serde(with = "http_serde::status_code")]` as the only field attributes, and unit-only
//! enums with `#[serde(rename = "..")]` variants. Anything else is reported, not guessed at.
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

#[derive(Debug, Clone)]
pub enum Ty {
    Opt(Box<Ty>),
    Vec(Box<Ty>),
    Map(Box<Ty>),
    Str,
    Bool,
    Int(i128, i128),
    Float,
    DateTime,
    Status,
    Any,
    Named(String),
    Unknown(String),
}

#[derive(Debug)]
pub struct Field {
    pub json: String,
    pub aliases: Vec<String>,
    pub ty: Ty,
}

#[derive(Debug)]
pub enum Item {
    Struct(Vec<Field>),
    Enum(Vec<String>),
}

pub struct Models {
    /// "consumer::sessions::AuthenticateResponse" (or "ErrorResponse" for lib.rs) -> the item
    pub items: HashMap<String, Item>,
}

#[derive(Default, Debug)]
pub struct Findings {
    pub missing: BTreeSet<String>,
    pub enums: BTreeSet<String>,
    pub types: BTreeSet<String>,
    pub extras: BTreeSet<String>,
}

impl Findings {
    pub fn fatal(&self) -> bool {
        !self.missing.is_empty() || !self.enums.is_empty() || !self.types.is_empty()
    }
}

impl Models {
    /// Reads <crate>/src/lib.rs, src/consumer/*.rs and src/b2b/*.rs.
    pub fn load(crate_dir: &Path) -> Result<Models, String> {
        let src = crate_dir.join("src");
        let mut files: Vec<(String, String)> = Vec::new(); // (module, text)
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
        files.push((String::new(), read(&src.join("lib.rs"))?));
        for vertical in ["consumer", "b2b"] {
            let dir = src.join(vertical);
            let mut names: Vec<_> = std::fs::read_dir(&dir)
                .map_err(|e| format!("{}: {e}", dir.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                .collect();
            names.sort();
            for p in names {
                let module = format!("{vertical}::{}", p.file_stem().unwrap().to_string_lossy());
                files.push((module, read(&p)?));
            }
        }
        // First pass: every item with its type names unresolved; second: resolve them per file.
        let mut raw: Vec<(String, String, RawItem)> = Vec::new(); // (module, name, item)
        let mut imports: HashMap<String, HashMap<String, String>> = HashMap::new();
        for (module, text) in &files {
            let text = strip_comments(text);
            imports.insert(module.clone(), parse_imports(&text));
            for (name, item) in parse_items(&text)? {
                raw.push((module.clone(), name, item));
            }
        }
        let known: BTreeSet<String> = raw.iter().map(|(m, n, _)| qualify(m, n)).collect();
        let mut items = HashMap::new();
        for (module, name, item) in raw {
            let resolve = |ty: &str| -> Ty {
                parse_ty(ty, &|ident: &str| {
                    let local = qualify(&module, ident);
                    if known.contains(&local) {
                        return Some(local);
                    }
                    imports.get(&module).and_then(|m| m.get(ident)).cloned()
                })
            };
            let item = match item {
                RawItem::Enum(variants) => Item::Enum(variants),
                RawItem::Struct(fields) => Item::Struct(
                    fields
                        .into_iter()
                        .map(|f| Field {
                            json: f.json,
                            aliases: f.aliases,
                            ty: if f.status_code {
                                Ty::Status
                            } else {
                                resolve(&f.ty)
                            },
                        })
                        .collect(),
                ),
            };
            items.insert(qualify(&module, &name), item);
        }
        Ok(Models { items })
    }

    /// Compares `value` with the model `type_path` (e.g. "consumer::sessions::AuthenticateResponse").
    pub fn compare(&self, type_path: &str, value: &Value) -> Findings {
        let mut out = Findings::default();
        self.walk(&Ty::Named(type_path.to_string()), Some(value), "", &mut out);
        out
    }

    fn walk(&self, ty: &Ty, v: Option<&Value>, path: &str, out: &mut Findings) {
        let at = if path.is_empty() { "(root)" } else { path };
        if let Ty::Opt(inner) = ty {
            match v {
                None | Some(Value::Null) => {}
                Some(v) => self.walk(inner, Some(v), path, out),
            }
            return;
        }
        let v = match v {
            None => {
                out.missing.insert(format!(
                    "{at}: missing, the model requires {}",
                    describe(ty)
                ));
                return;
            }
            Some(Value::Null) if !matches!(ty, Ty::Any) => {
                out.missing
                    .insert(format!("{at}: null, the model requires {}", describe(ty)));
                return;
            }
            Some(v) => v,
        };
        let mismatch = |out: &mut Findings| {
            out.types.insert(format!(
                "{at}: {} where the model has {}",
                json_kind(v),
                describe(ty)
            ))
        };
        match ty {
            Ty::Opt(_) => unreachable!(),
            Ty::Any => {}
            Ty::Str => {
                if !v.is_string() {
                    mismatch(out);
                }
            }
            Ty::Bool => {
                if !v.is_boolean() {
                    mismatch(out);
                }
            }
            Ty::Float => {
                if !v.is_number() {
                    mismatch(out);
                }
            }
            Ty::Int(min, max) => {
                let n = v.as_i64().map(i128::from).or(v.as_u64().map(i128::from));
                if !n.is_some_and(|n| n >= *min && n <= *max) {
                    mismatch(out);
                }
            }
            Ty::Status => {
                if !v.as_u64().is_some_and(|n| (100..=999).contains(&n)) {
                    mismatch(out);
                }
            }
            Ty::DateTime => {
                if v.as_str()
                    .and_then(|s| s.parse::<chrono::DateTime<chrono::Utc>>().ok())
                    .is_none()
                {
                    mismatch(out);
                }
            }
            Ty::Vec(inner) => match v.as_array() {
                Some(a) => a
                    .iter()
                    .for_each(|e| self.walk(inner, Some(e), &format!("{path}[]"), out)),
                None => {
                    mismatch(out);
                }
            },
            Ty::Map(inner) => match v.as_object() {
                Some(o) => o
                    .values()
                    .for_each(|e| self.walk(inner, Some(e), &format!("{path}{{}}"), out)),
                None => {
                    mismatch(out);
                }
            },
            Ty::Unknown(t) => {
                out.types.insert(format!(
                    "{at}: the model's type `{t}` is not one this comparison knows"
                ));
            }
            Ty::Named(name) => match self.items.get(name) {
                None => {
                    out.types
                        .insert(format!("{at}: no model named {name} in the crate's source"));
                }
                Some(Item::Enum(variants)) => match v.as_str() {
                    Some(s) if variants.iter().any(|x| x == s) => {}
                    Some(s) => {
                        out.enums.insert(format!(
                            "{at} = \"{s}\": {} declares only {}",
                            short(name),
                            variants.join(", ")
                        ));
                    }
                    None => {
                        mismatch(out);
                    }
                },
                Some(Item::Struct(fields)) => match v.as_object() {
                    Some(o) => {
                        let join = |k: &str| {
                            if path.is_empty() {
                                k.to_string()
                            } else {
                                format!("{path}.{k}")
                            }
                        };
                        for f in fields {
                            let present = std::iter::once(&f.json)
                                .chain(f.aliases.iter())
                                .find_map(|k| o.get(k.as_str()));
                            self.walk(&f.ty, present, &join(&f.json), out);
                        }
                        for k in o.keys() {
                            if !fields.iter().any(|f| &f.json == k || f.aliases.contains(k)) {
                                out.extras
                                    .insert(format!("{} (not in {})", join(k), short(name)));
                            }
                        }
                    }
                    None => {
                        mismatch(out);
                    }
                },
            },
        }
    }
}

fn short(name: &str) -> String {
    let parts: Vec<&str> = name.split("::").collect();
    match parts.len() {
        0..=2 => name.to_string(),
        n => parts[n - 2..].join("::"),
    }
}

fn json_kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("bool {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string {:?}", s.chars().take(40).collect::<String>()),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn describe(ty: &Ty) -> String {
    match ty {
        Ty::Opt(t) => format!("Option<{}>", describe(t)),
        Ty::Vec(t) => format!("Vec<{}>", describe(t)),
        Ty::Map(t) => format!("HashMap<String, {}>", describe(t)),
        Ty::Str => "String".into(),
        Ty::Bool => "bool".into(),
        Ty::Int(..) => "an integer".into(),
        Ty::Float => "a number".into(),
        Ty::DateTime => "DateTime<Utc> (RFC 3339 string)".into(),
        Ty::Status => "http::StatusCode (a number)".into(),
        Ty::Any => "serde_json::Value".into(),
        Ty::Named(n) => short(n),
        Ty::Unknown(t) => t.clone(),
    }
}

fn qualify(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}::{name}")
    }
}

enum RawItem {
    Struct(Vec<RawField>),
    Enum(Vec<String>),
}

struct RawField {
    json: String,
    aliases: Vec<String>,
    ty: String,
    status_code: bool,
}

fn strip_comments(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `use crate::a::b::Name;` and `use crate::a::b::{X, Y};` -> Name -> "a::b::Name".
fn parse_imports(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for stmt in text.split(';') {
        let stmt = stmt.trim();
        let Some(rest) = stmt.strip_prefix("use crate::") else {
            continue;
        };
        let rest: String = rest.split_whitespace().collect();
        if let Some((prefix, list)) = rest.split_once("::{") {
            for name in list
                .trim_end_matches('}')
                .split(',')
                .filter(|n| !n.is_empty())
            {
                out.insert(name.to_string(), format!("{prefix}::{name}"));
            }
        } else if let Some((_, name)) = rest.rsplit_once("::") {
            out.insert(name.to_string(), rest.clone());
        }
    }
    out
}

/// Every top-level `pub struct` / `pub enum` that derives Deserialize.
fn parse_items(text: &str) -> Result<Vec<(String, RawItem)>, String> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut offset = 0usize; // byte offset of line i in text
    let mut starts = Vec::with_capacity(lines.len());
    for l in &lines {
        starts.push(offset);
        offset += l.len() + 1;
    }
    for (i, line) in lines.iter().enumerate() {
        let (kind, rest) = if let Some(r) = line.strip_prefix("pub struct ") {
            ("struct", r)
        } else if let Some(r) = line.strip_prefix("pub enum ") {
            ("enum", r)
        } else {
            continue;
        };
        // The attributes right above: a derive with Deserialize, or this is not a model.
        let mut j = i;
        let mut deserialize = false;
        while j > 0 && lines[j - 1].starts_with("#[") {
            j -= 1;
            if lines[j].starts_with("#[derive(") && lines[j].contains("Deserialize") {
                deserialize = true;
            }
        }
        if !deserialize {
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let after = &rest[name.len()..].trim_start();
        if !after.starts_with('{') {
            return Err(format!("{kind} {name}: not a braced {kind} ({line}); the comparison does not know this shape"));
        }
        let open = starts[i] + line.find('{').unwrap();
        let body = braced(text, open).ok_or_else(|| format!("{kind} {name}: unbalanced braces"))?;
        let pieces = split_top(body);
        if kind == "struct" {
            let mut fields = Vec::new();
            for p in pieces {
                let (attrs, decl) = take_attrs(&p);
                let decl = decl.strip_prefix("pub ").unwrap_or(decl);
                let (field, ty) = decl
                    .split_once(':')
                    .ok_or_else(|| format!("struct {name}: cannot read field `{decl}`"))?;
                let field = field.trim().to_string();
                let mut f = RawField {
                    json: field.clone(),
                    aliases: vec![],
                    ty: ty.split_whitespace().collect(),
                    status_code: false,
                };
                for a in attrs {
                    let Some(inner) = a
                        .strip_prefix("#[serde(")
                        .and_then(|a| a.strip_suffix(")]"))
                    else {
                        continue;
                    };
                    for part in inner.split(',') {
                        let (k, v) = part
                            .split_once('=')
                            .map(|(k, v)| (k.trim(), v.trim().trim_matches('"')))
                            .unwrap_or((part.trim(), ""));
                        match k {
                            "rename" => f.json = v.to_string(),
                            "alias" => f.aliases.push(v.to_string()),
                            "with" if v == "http_serde::status_code" => f.status_code = true,
                            "skip_serializing_if" => {}
                            other => return Err(format!("struct {name}.{field}: serde attribute `{other}` is not one this comparison knows")),
                        }
                    }
                }
                fields.push(f);
            }
            out.push((name, RawItem::Struct(fields)));
        } else {
            let mut variants = Vec::new();
            for p in pieces {
                let (attrs, decl) = take_attrs(&p);
                if decl.contains(['(', '{', '=']) {
                    return Err(format!(
                        "enum {name}: variant `{decl}` is not a unit variant"
                    ));
                }
                let mut json = decl.to_string();
                for a in attrs {
                    if let Some(r) = a
                        .strip_prefix("#[serde(rename = \"")
                        .and_then(|a| a.strip_suffix("\")]"))
                    {
                        json = r.to_string();
                    }
                }
                variants.push(json);
            }
            out.push((name, RawItem::Enum(variants)));
        }
    }
    Ok(out)
}

/// The text between the brace at `open` and its match.
fn braced(text: &str, open: usize) -> Option<&str> {
    let mut depth = 0;
    for (k, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&text[open + 1..open + k]);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits at commas outside <>, (), [] and {}; drops empty pieces.
fn split_top(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in body.chars() {
        match c {
            '<' | '(' | '[' | '{' => depth += 1,
            '>' | ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The leading `#[...]` attributes of a declaration, and the rest.
fn take_attrs(piece: &str) -> (Vec<String>, &str) {
    let mut attrs = Vec::new();
    let mut rest = piece.trim();
    while rest.starts_with("#[") {
        let mut depth = 0;
        let mut end = rest.len();
        for (k, c) in rest.char_indices() {
            match c {
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        attrs.push(rest[..end].split_whitespace().collect::<Vec<_>>().join(" "));
        rest = rest[end..].trim_start();
    }
    (attrs, rest)
}

/// A field type, without white space, e.g. "std::option::Option<std::vec::Vec<Email>>".
fn parse_ty(t: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Ty {
    let generic = |prefixes: &[&str]| {
        prefixes
            .iter()
            .find_map(|p| t.strip_prefix(p).and_then(|r| r.strip_suffix('>')))
    };
    if let Some(inner) = generic(&["std::option::Option<", "Option<"]) {
        return Ty::Opt(Box::new(parse_ty(inner, resolve)));
    }
    if let Some(inner) = generic(&["std::vec::Vec<", "Vec<"]) {
        return Ty::Vec(Box::new(parse_ty(inner, resolve)));
    }
    if let Some(inner) = generic(&["std::collections::HashMap<String,", "HashMap<String,"]) {
        return Ty::Map(Box::new(parse_ty(inner, resolve)));
    }
    match t {
        "String" => Ty::Str,
        "bool" => Ty::Bool,
        "i8" => Ty::Int(i8::MIN.into(), i8::MAX.into()),
        "i16" => Ty::Int(i16::MIN.into(), i16::MAX.into()),
        "i32" => Ty::Int(i32::MIN.into(), i32::MAX.into()),
        "i64" => Ty::Int(i64::MIN.into(), i64::MAX.into()),
        "u8" => Ty::Int(0, u8::MAX.into()),
        "u16" => Ty::Int(0, u16::MAX.into()),
        "u32" => Ty::Int(0, u32::MAX.into()),
        "u64" => Ty::Int(0, u64::MAX.into()),
        "f32" | "f64" => Ty::Float,
        "serde_json::Value" => Ty::Any,
        "chrono::DateTime<chrono::Utc>" => Ty::DateTime,
        _ if t.chars().all(|c| c.is_alphanumeric() || c == '_') => match resolve(t) {
            Some(path) => Ty::Named(path),
            None => Ty::Unknown(t.to_string()),
        },
        _ => Ty::Unknown(t.to_string()),
    }
}

/// Groups findings per response for the report: "label: finding" lines, each once.
pub fn report(
    per_response: &BTreeMap<String, Findings>,
    pick: fn(&Findings) -> &BTreeSet<String>,
) -> Vec<String> {
    per_response
        .iter()
        .flat_map(|(label, f)| pick(f).iter().map(move |x| format!("{label}: {x}")))
        .collect()
}

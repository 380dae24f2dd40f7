//! Parameter values as the official Alibaba SDKs write them: flattened `Name.1.Key` pairs, scalars
//! as text (numbers as Python writes them), compact JSON and `x-www-form-urlencoded` forms.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::meta::ParamStyle;
use crate::signing::percent_encode;

/// Flattens a parameter into `name=value` pairs, as the official SDKs do for each `style`: lists as
/// `Name.1`, objects as `Name.Key` (`repeatList`, `flat` and no style), the whole value as JSON
/// (`json`), or scalars joined by commas (`simple`). A later pair of the same name replaces an earlier
/// one, as in the SDKs' dictionaries.
pub fn flatten(name: &str, value: &Value, style: Option<ParamStyle>, out: &mut BTreeMap<String, String>) {
    match (value, style) {
        (Value::Null, _) => {}
        (Value::Array(_) | Value::Object(_), Some(ParamStyle::Json)) => {
            out.insert(name.to_string(), json_text(value));
        }
        (Value::Array(items), Some(ParamStyle::Simple)) => {
            let joined: Vec<String> = items.iter().map(scalar_text).collect();
            out.insert(name.to_string(), joined.join(","));
        }
        (Value::Array(items), _) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{name}.{}", i + 1), item, style, out);
            }
        }
        (Value::Object(members), _) => {
            for (key, member) in members {
                flatten(&format!("{name}.{key}"), member, style, out);
            }
        }
        (scalar, _) => {
            out.insert(name.to_string(), scalar_text(scalar));
        }
    }
}

/// A value as text in a query, form, path or `simple` list: strings as they are, booleans `true` /
/// `false`, numbers as Python's `str()` writes them, lists and objects as JSON.
pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number_text(number),
        Value::Null => String::new(),
        other => json_text(other),
    }
}

pub(super) fn header_text(value: &Value) -> String {
    scalar_text(value)
}

/// A number as Python's `str()` and `json.dumps` write it: integers in full, floats in their shortest
/// round-trip digits, in positional notation from 1e-4 up to 1e16 (`0.0001`, `100.0`) and in
/// scientific notation outside it (`1e-05`, `1e+16`, `1.5e+300`).
pub fn number_text(number: &serde_json::Number) -> String {
    if let Some(integer) = number.as_i64() {
        return integer.to_string();
    }
    if let Some(integer) = number.as_u64() {
        return integer.to_string();
    }
    python_float(number.as_f64().unwrap_or(0.0))
}

fn python_float(float: f64) -> String {
    if float.is_nan() {
        return "nan".into();
    }
    if float.is_infinite() {
        return if float > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if float == 0.0 {
        return if float.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    let sign = if float < 0.0 { "-" } else { "" };
    let (digits, exponent) = shortest_digits(float.abs());
    if !(-4..16).contains(&exponent) {
        let mantissa = if digits.len() > 1 { format!("{}.{}", &digits[..1], &digits[1..]) } else { digits };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        return format!("{sign}{mantissa}e{exponent_sign}{:02}", exponent.unsigned_abs());
    }
    if exponent < 0 {
        let zeros = "0".repeat((-exponent - 1) as usize);
        return format!("{sign}0.{zeros}{digits}");
    }
    let point = exponent as usize + 1;
    if digits.len() > point {
        format!("{sign}{}.{}", &digits[..point], &digits[point..])
    } else {
        format!("{sign}{digits}{}.0", "0".repeat(point - digits.len()))
    }
}

/// The shortest decimal digits that read back as `float` (positive, finite, not zero) and the
/// decimal exponent of the first one: `("15", 2)` for 150. When two candidates are equally close,
/// Python (David Gay's dtoa) takes the even one and Rust's formatter the upper one; this takes the even
/// one, as Python does (`-868697633869600.25` is exactly between `…600.2` and `…600.3`: Python writes
/// `.2`).
fn shortest_digits(float: f64) -> (String, i32) {
    // `{:e}` writes the shortest round-trip digits: `1.2345e-7`.
    let scientific = format!("{float:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((scientific.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    // In a tie Rust took the upper candidate: when its last digit is even, so would Python.
    if digits.bytes().last().is_none_or(|b| (b - b'0') % 2 == 0) {
        return (digits, exponent);
    }
    // The exact value: an f64 has at most 767 significant decimal digits.
    let exact = format!("{float:.800e}");
    let Some((exact_mantissa, exact_exponent)) = exact.split_once('e') else { return (digits, exponent) };
    let exact_exponent: i32 = exact_exponent.parse().unwrap_or(exponent);
    let all: String = exact_mantissa.chars().filter(char::is_ascii_digit).collect();
    if all.len() <= digits.len() {
        return (digits, exponent);
    }
    let (head, tail) = all.split_at(digits.len());
    let tie = tail.starts_with('5') && tail[1..].bytes().all(|b| b == b'0');
    let even = head.bytes().last().is_some_and(|b| (b - b'0') % 2 == 0);
    if tie && even && (head != digits || exact_exponent != exponent) {
        let candidate = format!("{}.{}e{exact_exponent}", &head[..1], &head[1..]);
        if candidate.parse::<f64>().ok() == Some(float) {
            return (head.to_string(), exact_exponent);
        }
    }
    (digits, exponent)
}

/// Compact JSON as Python's `json.dumps(value, ensure_ascii=False, separators=(",", ":"))` writes it
/// (the official SDKs' `to_json_string`): UTF-8 as is, keys in order, floats as [`number_text`].
pub fn json_text(value: &Value) -> String {
    let mut out = String::new();
    write_json(value, &mut out);
    out
}

fn write_json(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => out.push_str(&number_text(number)),
        Value::String(text) => write_json_string(text, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (key, member)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(key, out);
                out.push(':');
                write_json(member, out);
            }
            out.push('}');
        }
    }
}

/// Python's escapes: `"`, `\`, `\b \f \n \r \t`, other C0 controls as `\u00xx`; everything else raw.
fn write_json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `application/x-www-form-urlencoded`, as Python's `urlencode` writes it (the official `to_form`):
/// names sorted, RFC 3986 unreserved characters kept, space as `+`, everything else `%XX` of its UTF-8.
pub fn form_string(pairs: &BTreeMap<String, String>) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v))).collect::<Vec<_>>().join("&")
}

fn form_encode(text: &str) -> String {
    percent_encode(text).replace("%20", "+")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flat(name: &str, value: Value, style: Option<ParamStyle>) -> Vec<(String, String)> {
        let mut out = BTreeMap::new();
        flatten(name, &value, style, &mut out);
        out.into_iter().collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn flattens_in_every_style() {
        let tags = json!([{"Key": "k", "Value": "v"}, {"Key": "k2"}]);
        let expected = pairs(&[("Tag.1.Key", "k"), ("Tag.1.Value", "v"), ("Tag.2.Key", "k2")]);
        assert_eq!(flat("Tag", tags.clone(), Some(ParamStyle::RepeatList)), expected);
        assert_eq!(flat("Tag", tags.clone(), Some(ParamStyle::Flat)), expected);
        assert_eq!(flat("Tag", tags, None), expected);
        assert_eq!(
            flat("Disk", json!({"Size": 40, "Ok": true}), None),
            pairs(&[("Disk.Ok", "true"), ("Disk.Size", "40")])
        );
        assert_eq!(
            flat("Ids", json!(["a", 1, 0.5, false]), Some(ParamStyle::Simple)),
            pairs(&[("Ids", "a,1,0.5,false")])
        );
        assert_eq!(
            flat("Config", json!({"a": [1, 1e300], "é": "\n"}), Some(ParamStyle::Json)),
            pairs(&[("Config", "{\"a\":[1,1e+300],\"é\":\"\\n\"}")])
        );
        // Nulls are skipped; list positions still count them.
        assert_eq!(flat("L", json!(["a", null, "c"]), None), pairs(&[("L.1", "a"), ("L.3", "c")]));
    }

    #[test]
    fn numbers_as_python_writes_them() {
        let cases = [
            (0.5, "0.5"),
            (1e300, "1e+300"),
            (-1e-7, "-1e-07"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e15, "1000000000000000.0"),
            (123.0, "123.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-0.0, "-0.0"),
            (12.5, "12.5"),
            // Exactly halfway between two shortest candidates: Python takes the even one.
            (-868697633869600.2, "-868697633869600.2"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ];
        for (float, text) in cases {
            assert_eq!(python_float(float), text, "{float}");
        }
        assert_eq!(number_text(&serde_json::Number::from(u64::MAX)), "18446744073709551615");
        assert_eq!(number_text(&serde_json::Number::from(i64::MIN)), "-9223372036854775808");
    }

    #[test]
    fn forms_encode_as_urlencode() {
        let form: BTreeMap<String, String> =
            [("b".to_string(), "a b+c~*é".to_string()), ("a".to_string(), "1".to_string())].into();
        assert_eq!(form_string(&form), "a=1&b=a+b%2Bc~%2A%C3%A9");
    }
}

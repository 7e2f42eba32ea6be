//! List and mapping fields: `areas: [A6]`, `data: [...]`, `where: {...}`.

use crate::finding::{Finding, Rule};
use crate::model::At;

use super::super::yaml::{Node, Value};
use super::{Fields, Reader};

impl Reader<'_> {
    /// A list field; absent is empty.
    pub fn list<'n>(&mut self, f: &Fields<'n>, name: &str, example: &str) -> Vec<&'n Node> {
        match f.get(name) {
            None => Vec::new(),
            Some(node) => match &node.value {
                Value::Seq(items) => items.iter().collect(),
                _ => {
                    self.wrong_type(f, name, node, "a list", example);
                    Vec::new()
                }
            },
        }
    }

    /// A list of ids such as `areas: [A6, A7]`.
    pub fn id_list(&mut self, f: &Fields, name: &str, example: &str) -> Vec<At<String>> {
        let items = self.list(f, name, example);
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match Self::text_of(item) {
                Some(s) if crate::model::ids::is_item_id(&s) => out.push(At::new(s, item.pos)),
                Some(s) => self.findings.push(
                    Finding::new(
                        Rule::Schema,
                        self.file,
                        item.pos,
                        format!("`{s}` in `{name}` of {} is not a valid id", f.what),
                    )
                    .hint(format!("for example `{name}: {example}`")),
                ),
                None => self.findings.push(
                    Finding::new(
                        Rule::Schema,
                        self.file,
                        item.pos,
                        format!(
                            "each entry of `{name}` in {} must be an id, found {}",
                            f.what,
                            item.kind_name()
                        ),
                    )
                    .hint(format!("for example `{name}: {example}`")),
                ),
            }
        }
        out
    }

    /// A required list with at least one entry.
    pub fn req_id_list(&mut self, f: &Fields, name: &str, example: &str) -> Vec<At<String>> {
        if !f.has(name) {
            self.missing(f, name, example);
            return Vec::new();
        }
        let node = f.get(name).expect("checked above");
        let list = self.id_list(f, name, example);
        if list.is_empty() && matches!(&node.value, Value::Seq(s) if s.is_empty()) {
            self.schema(
                node.pos,
                format!("`{name}` in {} needs at least one entry", f.what),
                format!("for example `{name}: {example}`"),
            );
        }
        list
    }

    /// A mapping whose keys are the user's own and whose values are text
    /// (`where: {breakdown: All EHC plans}`); absent is empty. Numbers are
    /// read as the characters written.
    pub fn text_map(
        &mut self,
        f: &Fields,
        name: &str,
        example: &str,
    ) -> Vec<(At<String>, At<String>)> {
        let Some(node) = f.get(name) else {
            return Vec::new();
        };
        let Value::Map(pairs) = &node.value else {
            self.wrong_type(f, name, node, "a mapping", example);
            return Vec::new();
        };
        let mut out = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            match (Self::text_of(k), Self::text_of(v)) {
                (Some(key), Some(text)) => out.push((At::new(key, k.pos), At::new(text, v.pos))),
                (key, _) => {
                    let at = if key.is_none() { k } else { v };
                    self.schema(
                        at.pos,
                        format!(
                            "each entry of `{name}` in {} is `column: value` text, found {}",
                            f.what,
                            at.kind_name()
                        ),
                        format!("for example `{name}: {example}`"),
                    );
                }
            }
        }
        out
    }
}

//! Looking names up, reporting `unknown-reference` with the closest declared name.

use super::*;

impl<'a> Resolver<'a> {
    /// Looks `name` up in `table`; reports it (with the closest of `names`, computed only on
    /// failure so that lookups stay cheap) when it is not declared.
    fn lookup<'n, Id: Copy>(
        table: &HashMap<&'a str, Id>,
        names: impl Iterator<Item = &'n str>,
        kind: &str,
        name: &ast::Name,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Id> {
        match table.get(name.text.as_str()) {
            Some(id) => Some(*id),
            None => {
                let names: Vec<&str> = names.collect();
                diagnostics.push(unknown_reference::diagnostic(
                    kind, &name.text, name.span, &names,
                ));
                None
            }
        }
    }

    pub(super) fn role(&mut self, name: &ast::Name) -> Option<RoleId> {
        let names = self.model.roles.iter().map(|r| r.id.as_str());
        let id = Self::lookup(&self.roles, names, "role", name, &mut self.diagnostics)?;
        self.usage.roles[id.0] = true;
        Some(id)
    }

    pub(super) fn tool(&mut self, name: &ast::Name) -> Option<ToolId> {
        let names = self.model.tools.iter().map(|t| t.id.as_str());
        let id = Self::lookup(&self.tools, names, "tool", name, &mut self.diagnostics)?;
        self.usage.tools[id.0] = true;
        Some(id)
    }

    pub(super) fn field(&mut self, name: &ast::Name) -> Option<FieldId> {
        let names = self.model.fields.iter().map(|f| f.id.as_str());
        let id = Self::lookup(&self.fields, names, "field", name, &mut self.diagnostics)?;
        self.usage.fields[id.0] = true;
        Some(id)
    }

    pub(super) fn segment(&mut self, name: &ast::Name) -> Option<SegmentId> {
        let names = self.model.segments.iter().map(|s| s.id.as_str());
        let id = Self::lookup(
            &self.segments,
            names,
            "segment",
            name,
            &mut self.diagnostics,
        )?;
        self.usage.segments[id.0] = true;
        Some(id)
    }
}

//! Declarations: every role, field, tool, segment, criteria, scoring and process gets its
//! id, or a `duplicate-definition` when its name is taken.

use super::*;

impl<'a> Resolver<'a> {
    pub(super) fn declare(&mut self, decls: &[(FileId, &'a ast::Declaration)]) {
        use ast::Declaration as D;
        let mut process_locs: Vec<Loc> = Vec::new();
        for (_, decl) in decls {
            match decl {
                D::Import(_) => {}
                D::Role(role) => {
                    let id = RoleId(self.model.roles.len());
                    let roles = &self.model.roles;
                    if declare(
                        &mut self.roles,
                        |i| roles[i.0].loc,
                        "role",
                        &role.name,
                        id,
                        &mut self.diagnostics,
                    ) {
                        self.model.roles.push(Role {
                            id: role.name.text.clone(),
                            label: label(&role.name, &role.label),
                            loc: role.name.span,
                        });
                    }
                }
                D::Field(field) => {
                    let id = FieldId(self.model.fields.len());
                    let fields = &self.model.fields;
                    if declare(
                        &mut self.fields,
                        |i| fields[i.0].loc,
                        "field",
                        &field.name,
                        id,
                        &mut self.diagnostics,
                    ) {
                        let ty = self.field_type(&field.ty.value);
                        self.model.fields.push(Field {
                            id: field.name.text.clone(),
                            renamed_from: super::processes::renamed(field.renamed_from.as_ref()),
                            label: label(&field.name, &field.label),
                            ty,
                            description: field.description.as_ref().map(|t| t.value.clone()),
                            crm: CrmNames::of(&field.salesforce, &field.hubspot, &field.pipedrive),
                            loc: field.name.span,
                        });
                    }
                }
                D::Tool(tool) => {
                    let id = ToolId(self.model.tools.len());
                    let tools = &self.model.tools;
                    if declare(
                        &mut self.tools,
                        |i| tools[i.0].loc,
                        "tool",
                        &tool.name,
                        id,
                        &mut self.diagnostics,
                    ) {
                        self.model.tools.push(Tool {
                            id: tool.name.text.clone(),
                            label: label(&tool.name, &tool.label),
                            kind: tool.kind.as_ref().map(|k| k.text.clone()),
                            link: tool.link.as_ref().map(|t| t.value.clone()),
                            description: tool.description.as_ref().map(|t| t.value.clone()),
                            loc: tool.name.span,
                        });
                    }
                }
                D::Segment(segment) => {
                    let id = SegmentId(self.model.segments.len());
                    let segments = &self.model.segments;
                    if declare(
                        &mut self.segments,
                        |i| segments[i.0].loc,
                        "segment",
                        &segment.name,
                        id,
                        &mut self.diagnostics,
                    ) {
                        self.model.segments.push(Segment {
                            id: segment.name.text.clone(),
                            label: label(&segment.name, &segment.label),
                            description: segment.description.as_ref().map(|t| t.value.clone()),
                            when: None,
                            loc: segment.name.span,
                        });
                    }
                }
                D::Criteria(criteria) => {
                    let id = CriteriaId(self.model.criteria.len());
                    let all = &self.model.criteria;
                    if declare(
                        &mut self.criteria,
                        |i| all[i.0].loc,
                        "criteria",
                        &criteria.name,
                        id,
                        &mut self.diagnostics,
                    ) {
                        self.model.criteria.push(Criteria {
                            id: criteria.name.text.clone(),
                            label: label(&criteria.name, &criteria.label),
                            items: Vec::new(),
                            loc: criteria.name.span,
                        });
                    }
                }
                D::Scoring(scoring) => {
                    declare(
                        &mut self.scorings,
                        |loc| loc,
                        "scoring",
                        &scoring.name,
                        scoring.name.span,
                        &mut self.diagnostics,
                    );
                }
                D::Process(process) => {
                    let index = process_locs.len();
                    process_locs.push(process.name.span);
                    let locs = &process_locs;
                    declare(
                        &mut self.processes,
                        |i| locs[i],
                        "process",
                        &process.name,
                        index,
                        &mut self.diagnostics,
                    );
                }
            }
        }
        // Conditions name fields and criteria alike, so the two kinds share one namespace.
        for criteria in &self.model.criteria {
            if let Some(field) = self.fields.get(criteria.id.as_str()) {
                self.diagnostics.push(duplicate_definition::diagnostic(
                    "criteria",
                    &criteria.id,
                    criteria.loc,
                    self.model.fields[field.0].loc,
                ));
            }
        }
        self.usage = Usage {
            roles: vec![false; self.model.roles.len()],
            fields: vec![false; self.model.fields.len()],
            tools: vec![false; self.model.tools.len()],
            segments: vec![false; self.model.segments.len()],
            criteria: vec![false; self.model.criteria.len()],
        };
    }

    fn field_type(&mut self, ty: &ast::FieldType) -> FieldType {
        match ty {
            ast::FieldType::Text => FieldType::Text,
            ast::FieldType::Number => FieldType::Number,
            ast::FieldType::Currency => FieldType::Currency,
            ast::FieldType::Percent => FieldType::Percent,
            ast::FieldType::Date => FieldType::Date,
            ast::FieldType::Bool => FieldType::Bool,
            ast::FieldType::Choice(values) => {
                let mut seen: HashMap<&str, Loc> = HashMap::new();
                let mut out = Vec::new();
                for value in values {
                    if let Some(first) = seen.get(value.value.as_str()) {
                        self.diagnostics.push(duplicate_definition::diagnostic(
                            "choice value",
                            &value.value,
                            value.span,
                            *first,
                        ));
                    } else {
                        seen.insert(&value.value, value.span);
                        out.push(value.value.clone());
                    }
                }
                FieldType::Choice(out)
            }
        }
    }
}

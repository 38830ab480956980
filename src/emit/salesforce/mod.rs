//! Salesforce: a `salesforce/` SFDX project (`sfdx-project.json`, `.forceignore`, metadata
//! source under `force-app/main/default/`) with the stage picklist, a business process,
//! record type and Path per process, validation rules for required fields and exit criteria,
//! custom fields, lead scores, and a `package.xml` listing it all.

mod access;
mod checklist;
mod fields;
mod flows;
pub mod formula;
pub mod names;
mod process;
mod rules;
mod stages;
pub mod xml;

use super::markdown::code;
use super::{EmitError, Emitted, Project};
use crate::check::rules::invalid_crm_name;
use crate::crm::Crm;
use crate::diag::Diagnostic;
use crate::model::Model;
use formula::Formulas;
use names::{api_name, file_safe_label, Labels, Names, MAX_NAME};
use std::collections::{BTreeMap, BTreeSet};
use xml::Xml;

/// The Metadata API version the files and `package.xml` are written for.
pub const API_VERSION: &str = "66.0";

/// Salesforce's limit for a business process name.
const MAX_PROCESS_NAME: usize = 80;

/// The backend: every process of the build in one folder, since Salesforce has one stage
/// picklist and one set of Opportunity fields for all of them.
pub fn emit(project: &Project<'_>) -> Result<Emitted, EmitError> {
    assemble(project).0
}

/// What Salesforce cannot hold of the build as written: the probabilities it rounds, the org's
/// stages a deploy would change (with `salesforce.stage_value_set`), what the Path cannot
/// show, and everything that stops the files from being written (stages or fields one org
/// cannot hold, formulas over its limit, names that are not Salesforce names).
pub fn findings(project: &Project<'_>) -> Vec<Diagnostic> {
    let mut found = crate::crm::rounding(project, Crm::Salesforce);
    if let (Some(org), Ok(stages)) = (project.org_stages, stages::distinct_stages(project)) {
        found.extend(stages::changes(&stages, org));
    }
    let (emitted, warnings) = assemble(project);
    if let Err(EmitError::Diagnostics(problems)) = emitted {
        found.extend(problems);
    }
    found.extend(warnings);
    found
}

/// The files, or what stops them from being written; and the warnings about what they
/// leave out.
fn assemble(project: &Project<'_>) -> (Result<Emitted, EmitError>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let emitted = build(project, &mut warnings);
    (emitted, warnings)
}

fn build(project: &Project<'_>, warnings: &mut Vec<Diagnostic>) -> Result<Emitted, EmitError> {
    // A name that is not a Salesforce name could be code in a formula: never written.
    let invalid: Vec<Diagnostic> = project
        .units
        .iter()
        .flat_map(|u| invalid_crm_name::diagnostics(u.model, &[Crm::Salesforce]))
        .collect();
    if !invalid.is_empty() {
        return Err(EmitError::Diagnostics(invalid));
    }
    let stages = stages::distinct_stages(project).map_err(EmitError::Diagnostics)?;
    if stages.is_empty() {
        // An empty stage list would deactivate every stage of the org on deploy.
        return Ok(Emitted::default());
    }
    let mut bundle = Bundle::default();
    bundle.add(
        "StandardValueSet",
        "OpportunityStage".into(),
        "standardValueSets/OpportunityStage.standardValueSet-meta.xml".into(),
        stages::standard_value_set(&stages, project.org_stages),
    );
    let mut problems = Vec::new();
    let mut formulas: Vec<Formulas<'_>> = Vec::new();
    add_processes(project, &mut bundle, &mut formulas, &mut problems, warnings);
    add_fields(project, &mut bundle, &mut problems)?;
    if !problems.is_empty() {
        return Err(EmitError::Diagnostics(problems));
    }
    add_stage_list_steps(&mut bundle, &stages, project.org_stages);
    add_access(&mut bundle);
    let mut emitted = bundle.finish();
    if project.org_stages.is_none() {
        emitted.notes.push(STAGE_LIST_NOTE.into());
    }
    Ok(emitted)
}

/// What the checklist says about the stage list: that a deploy replaces it, or what it
/// keeps of the org's.
fn add_stage_list_steps(
    bundle: &mut Bundle,
    stages: &[crate::crm::SalesforceStage<'_>],
    org: Option<&crate::crm::OrgStages>,
) {
    let Some(org) = org else {
        bundle.checklist(
            checklist::STAGES,
            "**Deploying replaces the org's opportunity stage list**: every stage value not in \
             `force-app/main/default/standardValueSets/OpportunityStage.standardValueSet-meta.xml` \
             is deactivated, and the stages listed get the probability and forecast category the \
             process gives them. To keep the org's stages, retrieve them first \
             (`sf project retrieve start --metadata StandardValueSet:OpportunityStage`), set \
             `salesforce: stage_value_set: <path to the retrieved file>` in salespath.yaml and \
             build again."
                .into(),
        );
        return;
    };
    let added = stages
        .iter()
        .filter(|s| !org.values.iter().any(|v| v.full_name == s.value))
        .count();
    let inactive = org.values.iter().filter(|v| !v.active).count();
    bundle.checklist(
        checklist::STAGES,
        format!(
            "The stage list keeps the {} stages of the org's list {} ({inactive} inactive stay \
             inactive) and adds {added}. It was retrieved before this build: retrieve it again \
             and rebuild if the org's stages have changed since, or the deploy deactivates the \
             new ones.",
            org.values.len(),
            code(&org.path.display().to_string()),
        ),
    );
    let changed = stages::changes(stages, org).len();
    if changed > 0 {
        bundle.checklist(
            checklist::STAGES,
            format!(
                "The deploy changes the probability or forecast category of {changed} stage(s) \
                 the org already has (the build's `salesforce-stage-change` warnings): open \
                 opportunities at those stages change with them."
            ),
        );
    }
}

/// What the build says when it writes the stage list without the org's own.
const STAGE_LIST_NOTE: &str = "salesforce: deploying salesforce/ replaces the org's \
    opportunity stage list: every stage not in it is deactivated. Retrieve the org's list \
    (`sf project retrieve start --metadata StandardValueSet:OpportunityStage`) and set \
    `salesforce: stage_value_set:` in salespath.yaml to keep it (docs/crm/salesforce.md)";

/// The permission set, the bypass permission, Path switched on, and the checklist items
/// that go with them and with the deploy.
fn add_access(bundle: &mut Bundle) {
    bundle.add(
        "CustomPermission",
        access::BYPASS_PERMISSION.into(),
        format!(
            "customPermissions/{}.customPermission-meta.xml",
            access::BYPASS_PERMISSION
        ),
        access::bypass_permission(),
    );
    bundle.add(
        "Settings",
        "PathAssistant".into(),
        "settings/PathAssistant.settings-meta.xml".into(),
        access::path_settings(),
    );
    bundle.checklist(
        checklist::DEPLOY,
        "Deploy the project: `cd salesforce && sf project deploy start --target-org <alias>` \
         (or, listing exactly the components, `sf project deploy start --manifest package.xml \
         --target-org <alias>`). Try it first with `--dry-run`."
            .into(),
    );
    bundle.checklist(
        checklist::ACCESS,
        format!(
            "Assign the permission set {} to everyone who works these opportunities: \
             `sf org assign permset --name {} --on-behalf-of <username>`, or Setup > Users > \
             Permission Set Assignments.",
            code(access::PERMISSION_SET),
            access::PERMISSION_SET
        ),
    );
    let record_types: Vec<String> = bundle
        .members
        .get("RecordType")
        .into_iter()
        .flatten()
        .map(|member| code(member))
        .collect();
    bundle.checklist(
        checklist::ACCESS,
        format!(
            "Make the record type the default for each profile that sells the process (Setup > \
             Profiles > the profile > Record Type Settings > Opportunity): {}.",
            record_types.join(", ")
        ),
    );
    bundle.checklist(
        checklist::ACCESS,
        format!(
            "Grant the custom permission {} only to integration users and data loads, through a \
             permission set of their own: it lets them save opportunities that break the \
             process's validation rules. The permission set {} does not grant it.",
            code(access::BYPASS_PERMISSION),
            code(access::PERMISSION_SET)
        ),
    );
}

/// The formulas of `model` in `all`, which holds formulas on one object (made on `object`): one per model of the build, so each criteria is measured and
/// compiled once.
fn formulas_of<'f, 'm>(
    all: &'f mut Vec<Formulas<'m>>,
    model: &'m Model,
    object: formula::Object,
) -> &'f mut Formulas<'m> {
    let at = match all.iter().position(|f| std::ptr::eq(f.model(), model)) {
        Some(at) => at,
        None => {
            all.push(Formulas::on(model, object));
            all.len() - 1
        }
    };
    &mut all[at]
}

fn add_processes<'m>(
    project: &Project<'m>,
    bundle: &mut Bundle,
    formulas: &mut Vec<Formulas<'m>>,
    problems: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) {
    let mut record_types = Names::default();
    let mut business_processes = Labels::default();
    let mut rule_names = Names::default();
    let mut flow_names = Names::default();
    let mut roles: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (model, id) in project.processes() {
        let process = model.process(id);
        let record_type = record_types.claim(&api_name(&process.label, &process.id, MAX_NAME));
        let label = file_safe_label(&process.label, &record_type, MAX_PROCESS_NAME);
        let business_process = business_processes.claim(&label, MAX_PROCESS_NAME);
        bundle.add(
            "BusinessProcess",
            format!("Opportunity.{business_process}"),
            format!(
                "objects/Opportunity/businessProcesses/{business_process}.businessProcess-meta.xml"
            ),
            process::business_process(process, &business_process),
        );
        bundle.add(
            "RecordType",
            format!("Opportunity.{record_type}"),
            format!("objects/Opportunity/recordTypes/{record_type}.recordType-meta.xml"),
            process::record_type(process, &record_type, &business_process),
        );
        bundle.add(
            "PathAssistant",
            record_type.clone(),
            format!("pathAssistants/{record_type}.pathAssistant-meta.xml"),
            process::path_assistant(model, process, &record_type, warnings),
        );
        add_flows(
            model,
            process,
            &record_type,
            &mut flow_names,
            &mut roles,
            bundle,
        );
        let formulas = formulas_of(formulas, model, formula::Object::Opportunity);
        for rule in
            rules::validation_rules(formulas, process, &record_type, &mut rule_names, problems)
        {
            bundle.add(
                "ValidationRule",
                format!("Opportunity.{}", rule.name),
                format!(
                    "objects/Opportunity/validationRules/{}.validationRule-meta.xml",
                    rule.name
                ),
                rule.xml,
            );
        }
    }
    for (role, flows) in roles {
        let flows: Vec<String> = flows.iter().map(|f| code(f)).collect();
        bundle.checklist(
            AUTOMATION,
            format!(
                "Tasks go to the deal owner; assign {} by hand if it is someone else (tasks \
                 of {}).",
                crate::emit::markdown::text(&role),
                flows.join(", ")
            ),
        );
    }
}

/// The entry and exit flows of each stage of `process` that has automations, and checklist
/// items for what they leave out; `roles` collects, per role label, the flows that name it.
fn add_flows(
    model: &Model,
    process: &crate::model::Process,
    record_type: &str,
    names: &mut Names,
    roles: &mut BTreeMap<String, Vec<String>>,
    bundle: &mut Bundle,
) {
    for stage in &process.stages {
        let automation = flows::plan(model, process, stage);
        for item in &automation.by_hand {
            bundle.checklist(AUTOMATION, item.clone());
        }
        let stage_name = api_name(&stage.label, &stage.id, MAX_NAME);
        for (direction, plan, kind) in [
            (
                flows::Direction::Entry,
                &automation.entry,
                &["Automation"][..],
            ),
            (
                flows::Direction::Exit,
                &automation.exit,
                &["Exit", "Automation"][..],
            ),
        ] {
            if !plan.is_needed() {
                continue;
            }
            let mut parts = vec![record_type, stage_name.as_str()];
            parts.extend_from_slice(kind);
            let name = names.claim_parts(&parts);
            bundle.add(
                "Flow",
                name.clone(),
                format!("flows/{name}.flow-meta.xml"),
                flows::flow(process, stage, record_type, direction, plan),
            );
            if direction == flows::Direction::Exit {
                add_previous_stage(bundle);
            }
            for role in &plan.roles {
                let flows = roles.entry(role.clone()).or_default();
                if !flows.contains(&name) {
                    flows.push(name.clone());
                }
            }
        }
    }
}

/// The field and before-save flow the exit flows read the stage a deal left from, once per
/// build.
fn add_previous_stage(bundle: &mut Bundle) {
    let flow = flows::PREVIOUS_STAGE_FLOW;
    if bundle
        .members
        .get("Flow")
        .is_some_and(|flows| flows.contains(flow))
    {
        return;
    }
    bundle.add(
        "Flow",
        flow.into(),
        format!("flows/{flow}.flow-meta.xml"),
        flows::previous_stage_flow(),
    );
    bundle.add_field("Opportunity", fields::previous_stage_field());
    bundle.checklist(
        AUTOMATION,
        format!(
            "Keep the flow {} active: the exit automation flows start when it sets {} to the \
             stage a deal left, from the deploy on (deals that changed stage before have it \
             empty).",
            code(flow),
            code(&format!("Opportunity.{}", flows::PREVIOUS_STAGE_FIELD)),
        ),
    );
}

/// The checklist section for stage automation.
const AUTOMATION: &str = "Automation";

/// Custom fields of every model of the build, then the lead scores and the Lead fields they
/// read.
fn add_fields(
    project: &Project<'_>,
    bundle: &mut Bundle,
    problems: &mut Vec<Diagnostic>,
) -> Result<(), EmitError> {
    let custom = fields::custom_fields(project).map_err(EmitError::Diagnostics)?;
    for field in custom {
        bundle.add_field("Opportunity", field);
    }
    let mut on_lead: Vec<Formulas<'_>> = Vec::new();
    let mut written = BTreeSet::new();
    let mut mapped: Vec<String> = Vec::new();
    let mut stand_ins: Vec<(String, String)> = Vec::new();
    for unit in &project.units {
        for scoring in &unit.model.scorings {
            let formulas = formulas_of(&mut on_lead, unit.model, formula::Object::Lead);
            match fields::scoring_field(formulas, scoring) {
                // The same scoring imported by two files is written once.
                Ok(field) => {
                    if written.insert(field.name.clone()) {
                        bundle.add_field("Lead", field);
                    }
                }
                Err(problem) => problems.push(*problem),
            }
            for field in fields::lead_fields(unit.model, scoring) {
                if written.insert(field.file.name.clone()) {
                    match field.stands_for {
                        Some(standard) => stand_ins.push((field.file.name.clone(), standard)),
                        None => mapped.push(field.file.name.clone()),
                    }
                    bundle.add_field("Lead", field.file);
                }
            }
        }
    }
    if !mapped.is_empty() {
        let pairs: Vec<String> = mapped
            .iter()
            .map(|name| format!("`Lead.{name}` → `Opportunity.{name}`"))
            .collect();
        bundle.checklist(
            LEAD_CONVERSION,
            format!(
                "Map the Lead fields the lead score reads to the Opportunity fields of the same \
                 name, so a converted lead keeps them (Setup → Object Manager → Lead → Fields & \
                 Relationships → Map Lead Fields): {}.",
                pairs.join(", ")
            ),
        );
    }
    for (lead, standard) in stand_ins {
        let standard = code(&format!("Opportunity.{standard}"));
        let lead = code(&format!("Lead.{lead}"));
        bundle.checklist(
            LEAD_CONVERSION,
            format!(
                "The lead score reads {lead} in place of the standard field {standard}, which Lead does \
                 not have. Salesforce's lead field mapping maps custom Lead fields only to \
                 custom fields, so conversion does not carry it to {standard}: set it on the new \
                 opportunity after converting, or copy it with an automation of your own (for \
                 instance a flow on Lead that runs when `IsConverted` becomes true and updates \
                 the opportunity `ConvertedOpportunityId`)."
            ),
        );
    }
    Ok(())
}

/// The checklist section for mapping Lead fields on conversion.
const LEAD_CONVERSION: &str = "Lead conversion";

/// The SFDX project folder every output of this backend goes into.
const PROJECT: &str = "salesforce";
/// The package directory, relative to [`PROJECT`]; metadata source goes below it.
const PACKAGE_DIRECTORY: &str = "force-app";
const SOURCE: &str = "force-app/main/default";

/// The SFDX project being written: the metadata files (paths relative to
/// `force-app/main/default`), per metadata type the members `package.xml` lists, and the
/// project files around them. It alone knows the folder layout.
#[derive(Default)]
pub struct Bundle {
    files: Vec<(String, Vec<u8>)>,
    members: BTreeMap<&'static str, BTreeSet<String>>,
    /// Every custom field written (`Object.Name__c`) and what the permission set grants on it.
    field_access: BTreeMap<String, fields::Access>,
    checklist: checklist::Checklist,
}

impl Bundle {
    /// Adds a metadata file at `path` below `force-app/main/default` and lists `member` under
    /// `kind` in `package.xml`.
    pub fn add(&mut self, kind: &'static str, member: String, path: String, xml: Vec<u8>) {
        self.members.entry(kind).or_default().insert(member);
        self.files.push((format!("{PROJECT}/{SOURCE}/{path}"), xml));
    }

    fn add_field(&mut self, object: &str, field: fields::FieldFile) {
        let member = format!("{object}.{}", field.name);
        let path = format!("objects/{object}/fields/{}.field-meta.xml", field.name);
        self.field_access.insert(member.clone(), field.access);
        self.add("CustomField", member, path, field.xml);
    }

    /// Adds `item` (Markdown, values escaped with [`crate::emit::markdown`]) to `section` of
    /// `CHECKLIST.md`, what is left to do by hand.
    pub fn checklist(&mut self, section: &str, item: String) {
        self.checklist.add(section, item);
    }

    /// Adds the permission set over every field and record type written, then the project
    /// files: `CHECKLIST.md`, `sfdx-project.json`, `.forceignore` and `package.xml`, which
    /// lists every member by type, both in alphabetical order.
    fn finish(mut self) -> Emitted {
        let record_types = self.members.get("RecordType").cloned().unwrap_or_default();
        let permission_set = access::permission_set(&self.field_access, &record_types);
        self.add(
            "PermissionSet",
            access::PERMISSION_SET.into(),
            format!(
                "permissionsets/{}.permissionset-meta.xml",
                access::PERMISSION_SET
            ),
            permission_set,
        );
        let mut xml = Xml::document("Package");
        for (kind, members) in &self.members {
            xml.open("types");
            for member in members {
                xml.text("members", member);
            }
            xml.text("name", kind).close();
        }
        xml.text("version", API_VERSION);
        self.files
            .push((format!("{PROJECT}/package.xml"), xml.finish()));
        self.files
            .push((format!("{PROJECT}/sfdx-project.json"), sfdx_project()));
        self.files.push((
            format!("{PROJECT}/.forceignore"),
            FORCEIGNORE.as_bytes().to_vec(),
        ));
        self.files
            .push((format!("{PROJECT}/CHECKLIST.md"), self.checklist.render()));
        Emitted {
            files: self.files,
            ..Emitted::default()
        }
    }
}

/// `sfdx-project.json`: one package directory, the API version the files are written for.
fn sfdx_project() -> Vec<u8> {
    let project = serde_json::json!({
        "packageDirectories": [{ "path": PACKAGE_DIRECTORY, "default": true }],
        "name": "salespath-sales-process",
        "namespace": "",
        "sfdcLoginUrl": "https://login.salesforce.com",
        "sourceApiVersion": API_VERSION,
    });
    let mut text = serde_json::to_string_pretty(&project).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

/// What the Salesforce CLI leaves out of deploys and retrieves (gitignore syntax).
const FORCEIGNORE: &str = "\
# Files the Salesforce CLI leaves out of deploys, retrieves and status (gitignore syntax).
# https://developer.salesforce.com/docs/atlas.en-us.sfdx_dev.meta/sfdx_dev/sfdx_dev_exclude_source.htm

# The manifest and checklist sit beside the source, not in it.
package.xml
CHECKLIST.md

# Editor and operating system files
**/.DS_Store
**/Thumbs.db
**/*.swp
**/*~

# Lightning Web Components configuration and tests
**/jsconfig.json
**/.eslintrc.json
**/__tests__/**
";

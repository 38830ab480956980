//! `salespath init`: commented starter processes, one per selling model. Each template
//! checks clean and shows the main constructs of the language.

/// A starter process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Template {
    /// A short, high-volume sale closed by one rep
    Transactional,
    /// A sale built on discovery and a tailored proposal
    Consultative,
    /// A long sale with many stakeholders, a pilot and legal review
    Enterprise,
}

impl Template {
    pub const ALL: [Template; 3] = [
        Template::Transactional,
        Template::Consultative,
        Template::Enterprise,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Template::Transactional => "transactional",
            Template::Consultative => "consultative",
            Template::Enterprise => "enterprise",
        }
    }

    /// The template's text.
    pub fn text(self) -> &'static str {
        match self {
            Template::Transactional => include_str!("templates/transactional.sales"),
            Template::Consultative => include_str!("templates/consultative.sales"),
            Template::Enterprise => include_str!("templates/enterprise.sales"),
        }
    }
}

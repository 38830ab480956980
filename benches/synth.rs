//! A generator of large synthetic `.sales` files that use every construct and check clean.

use std::fmt::Write;

/// About `bytes` of source: shared declarations, then as many processes as fit.
pub fn generate(bytes: usize, seed: u64) -> String {
    let mut out = String::with_capacity(bytes + 4096);
    let mut n = 0;
    while out.len() < bytes {
        block(&mut out, n, seed);
        n += 1;
    }
    out
}

/// One self-contained block: its own roles, fields, tools, segment, criteria, scoring and a
/// six-stage process using every stage property.
fn block(out: &mut String, n: usize, seed: u64) {
    let p = (seed as usize).wrapping_add(n) % 7;
    let _ = write!(
        out,
        r#"# block {n}
role rep_{n} "Account Executive {n}"
role mgr_{n} "Sales Manager {n}"
field amount_{n} "Amount": currency {{ salesforce: "Amount" }}
field seats_{n} "Seats": number
field discount_{n} "Discount": percent
field close_{n} "Close date": date
field signed_{n} "Signed": bool
field notes_{n} "Notes": text {{ description: "What the buyer said" }}
field region_{n} "Region": choice["EMEA", "APAC", "Americas"]
field reason_{n} "Loss reason": choice["Price", "Timing", "Competitor"]
tool crm_{n} "CRM" {{ kind: software  link: "https://crm.example.com/{n}" }}
tool deck_{n} "Deck" {{ kind: collateral  description: "The pitch deck" }}
segment mid_{n} "Mid-market" {{ description: "200 to 2,000 seats"  when: seats_{n} >= 200 and seats_{n} < 2_000 }}
criteria fit_{n} "Fit" {{
  size: seats_{n} >= 50
  budget: amount_{n} > 10000
  region: region_{n} in ["EMEA", "APAC"]
}}
scoring lead_{n} "Lead score" {{
  +20 when seats_{n} >= 200
  +30 when signed_{n}
  -10 when region_{n} == "Americas"
  threshold: 40
}}

process sales_{n} "Sales {n}" {{
  model: consultative
  owner: "VP Sales"
  description: "Synthetic process number {n}"
  segments: mid_{n}

  stage discover_{n} "Discover" {{
    owner: rep_{n}
    probability: {p0}%
    salesforce: "Discover ({p0}%)"
    forecast: pipeline
    objective: "Find the pain"
    description: "First calls"
    expected: 5d
    stale_after: 2w
    activities {{
      "Research the account"
      "Call the buyer"
    }}
    tools: crm_{n}, deck_{n}
    requires: seats_{n}, region_{n}, amount_{n}
    exit: fit_{n}
    follow_up "Second call" after 2d
    when entered: task "Book the call" for rep_{n} due 1d
  }}

  stage qualify_{n} "Qualify" {{
    owner: rep_{n}
    probability: 20%
    expected: 7d
    stale_after: 21d
    requires: notes_{n}
    exit: (seats_{n} > 10 or amount_{n} >= 5_000) and not (notes_{n} is not set)
    when exited: email "recap" after 1d
    next: propose_{n}, demo_{n}
  }}

  stage demo_{n} "Demo" {{
    owner: rep_{n}
    probability: 30%
    expected: 36h
    stale_after: 5d
    next: propose_{n}, qualify_{n}
  }}

  stage propose_{n} "Propose" {{
    owner: rep_{n}
    probability: 60%
    forecast: best_case
    requires: close_{n}, discount_{n}
    exit: discount_{n} <= 20% and close_{n} is set
    guidance: """
      Price with care.
      Ask about the timeline.
      """
    when stale: notify mgr_{n}
  }}

  stage negotiate_{n} "Negotiate" {{
    owner: mgr_{n}
    probability: 80%
    forecast: commit
    exit: signed_{n} and region_{n} != "Americas"
    next: won_{n}, propose_{n}
  }}

  stage won_{n} "Won" {{ outcome: won }}

  stage lost_{n} "Lost" {{
    outcome: lost
    from: any
    requires: reason_{n}
  }}
}}

"#,
        p0 = 5 + p,
    );
}

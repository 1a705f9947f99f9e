//! `remnant sample --out DIR`: write the bundled sample (CT, reference liver, seeds).

use super::CliError;

/// `remnant sample --out DIR`.
#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    /// The folder to write ct.nii.gz, liver.nii.gz and liver_seeds.txt into (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: std::path::PathBuf,
}

pub fn run(a: SampleArgs) -> Result<(), CliError> {
    for p in crate::sample::write_to(&a.out)? {
        println!("wrote {}", p.display());
    }
    Ok(())
}

//! Body size: body surface area (Mosteller 1987) and the standardised total liver
//! volume (Vauthey et al., Liver Transpl 2002: sTLV = -794.41 + 1267.28 x BSA).

/// Heights and weights Remnant accepts (adults and adolescents; anything else is a typo).
pub const HEIGHT_CM_RANGE: (f64, f64) = (100.0, 250.0);
pub const WEIGHT_KG_RANGE: (f64, f64) = (25.0, 300.0);

/// Mosteller: BSA (m^2) = sqrt(height cm x weight kg / 3600).
pub fn bsa_mosteller(height_cm: f64, weight_kg: f64) -> f64 {
    (height_cm * weight_kg / 3600.0).sqrt()
}

/// Vauthey 2002: sTLV (mL) = -794.41 + 1267.28 x BSA (m^2).
pub fn stlv_vauthey(bsa_m2: f64) -> f64 {
    -794.41 + 1267.28 * bsa_m2
}

/// A height, weight or number of weeks that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MeasureError {
    #[error("{what} must be a number")]
    NotFinite { what: &'static str },
    #[error("{what} {value} {unit} is outside {lo}-{hi} {unit}")]
    OutOfRange {
        what: &'static str,
        unit: &'static str,
        value: f64,
        lo: f64,
        hi: f64,
    },
    #[error("{what} \"{text}\" is not a number of {unit}")]
    NotANumber {
        what: String,
        unit: String,
        text: String,
    },
}

fn check(
    what: &'static str,
    unit: &'static str,
    v: f64,
    (lo, hi): (f64, f64),
) -> Result<f64, MeasureError> {
    if !v.is_finite() {
        return Err(MeasureError::NotFinite { what });
    }
    if v < lo || v > hi {
        return Err(MeasureError::OutOfRange {
            what,
            unit,
            value: v,
            lo,
            hi,
        });
    }
    Ok(v)
}

pub fn check_height(cm: f64) -> Result<f64, MeasureError> {
    check("height", "cm", cm, HEIGHT_CM_RANGE)
}

pub fn check_weight(kg: f64) -> Result<f64, MeasureError> {
    check("weight", "kg", kg, WEIGHT_KG_RANGE)
}

/// Parse what a user typed in a height or weight field ("172", "172.5", "172,5").
pub fn parse_measure(text: &str, what: &str, unit: &str) -> Result<Option<f64>, MeasureError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let t = t.strip_suffix(unit).unwrap_or(t).trim().replace(',', ".");
    t.parse::<f64>()
        .map(Some)
        .map_err(|_| MeasureError::NotANumber {
            what: what.to_string(),
            unit: unit.to_string(),
            text: text.trim().to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mosteller_worked_example() {
        // 180 cm, 80 kg: 180 x 80 / 3600 = 4 -> sqrt = 2.0 m^2
        assert!((bsa_mosteller(180.0, 80.0) - 2.0).abs() < 1e-12);
        // 160 cm, 62.5 kg: 10000 / 3600 = 2.777.. -> 1.6667 m^2
        assert!((bsa_mosteller(160.0, 62.5) - (10000.0f64 / 3600.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn vauthey_worked_example() {
        // BSA 2.0: -794.41 + 2534.56 = 1740.15 mL
        assert!((stlv_vauthey(2.0) - 1740.15).abs() < 1e-9);
        // BSA 1.73 (a "standard" adult): -794.41 + 2192.3944 = 1397.9844 mL
        assert!((stlv_vauthey(1.73) - 1397.9844).abs() < 1e-9);
    }

    #[test]
    fn absurd_inputs_are_refused_with_a_reason() {
        assert!(
            check_height(0.0)
                .unwrap_err()
                .to_string()
                .contains("height 0 cm")
        );
        assert!(check_weight(900.0).unwrap_err().to_string().contains("900"));
        assert!(check_weight(-70.0).is_err());
        assert_eq!(
            check_height(f64::NAN).unwrap_err(),
            MeasureError::NotFinite { what: "height" }
        );
        assert_eq!(check_height(172.0), Ok(172.0));
        assert_eq!(parse_measure("72,5 kg", "weight", "kg"), Ok(Some(72.5)));
        assert_eq!(parse_measure("  ", "weight", "kg"), Ok(None));
        assert!(
            parse_measure("tall", "height", "cm")
                .unwrap_err()
                .to_string()
                .contains("not a number")
        );
    }
}

//! Mean, median and the nearest-rank 90th percentile (DEALS.md section 5).

pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The middle value; the mean of the two middle values for an even count. Sorts `values`.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// The value at position ceil(0.9 n) in ascending order (1-based). Expects sorted values.
pub fn p90_sorted(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let rank = (values.len() * 9).div_ceil(10);
    Some(values[rank.max(1) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_and_median() {
        let mut v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(median(&mut v), Some(5.5));
        assert_eq!(p90_sorted(&v), Some(9.0));
        let mut odd = vec![3.0, 1.0, 2.0];
        assert_eq!(median(&mut odd), Some(2.0));
        assert_eq!(p90_sorted(&odd), Some(3.0));
        assert_eq!(p90_sorted(&[4.0]), Some(4.0));
        assert_eq!(mean(&[]), None);
    }
}

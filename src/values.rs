//! Clap's side of the core's named enums: the core has no clap, so it
//! gives each enum `FromStr` and a `NAMES` list, and the subcommands'
//! `Args` parse them through this.

/// A value parser for one of the core's named enums (`ssopick_core::named_enum!`):
/// its names (with their help) as the possible values.
pub(crate) fn named<T>(
    names: &'static [(&'static str, &'static str)],
) -> impl clap::builder::TypedValueParser<Value = T>
where
    T: std::str::FromStr + Clone + Send + Sync + 'static,
{
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(names.iter().map(|(n, help)| {
        let v = PossibleValue::new(*n);
        if help.is_empty() { v } else { v.help(*help) }
    }))
    .try_map(|s| {
        s.parse::<T>()
            .map_err(|_| format!("{s:?} is not a possible value"))
    })
}

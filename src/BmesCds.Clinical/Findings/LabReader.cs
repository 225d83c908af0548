using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Findings;

/// <summary>
/// A lab or vital-sign value in the unit the rules think in (CRP mg/L, ESR mm/h, WBC 10^9/L, temperature Cel). High is
/// null when it cannot be told: no value, or a value that cannot be read (then Unreadable says why, C7).
/// </summary>
internal sealed record LabValue(string Group, decimal? Value, bool? High, DateRead Date, Evidence Evidence, string? Unreadable = null)
{
    public bool IsHigh => High == true;

    public bool IsNotHigh => High == false;
}

/// <summary>
/// Judges CRP, ESR, WBC and body temperature (BMES-RULES.md section 4, INFLAMMATION): the lab's own interpretation first,
/// then its reference range, then the configured defaults, converting UCUM units. A value whose unit is not understood,
/// or that is not a number, is never "not raised" (7a, C7): only the lab's own "high" flag can still make it raised.
/// </summary>
internal static class LabReader
{
    private static readonly string[] HighInterpretations = ["H", "HH", "HU", "A", "AA", ">"];

    public static LabValue Read(Observation observation, string group, ClinicalOptions options, AdministrativeGender? sex)
    {
        var date = FhirFacts.ReadDate(observation);
        var quantity = observation.Value as Quantity;
        var (raw, notANumber) = FhirFacts.ReadDecimal(quantity?.ValueElement);
        var unit = quantity?.Code ?? quantity?.Unit;
        var value = Convert(group, raw, unit);
        var problem = notANumber ? "its value could not be read"
            : raw is not null && value is null ? $"unit '{unit}' not understood"
            : null;
        var flagged = Interpretation(observation);
        bool? high = flagged == true ? true
            : problem is not null ? null
            : group == "body-temperature" ? (value is { } celsius ? celsius >= options.FeverCelsius : null)
            : flagged ?? RangeHigh(observation, group, value) ?? DefaultHigh(group, value, options, sex);
        var shown = value is { } number ? $"{Name(group)} {number:0.##} {Unit(group)}"
            : raw is { } given ? $"{Name(group)} {given:0.##} {unit}".TrimEnd()
            : Name(group);
        var evidence = new Evidence(high == true ? $"{shown} (high)" : shown, date.Date);
        var unreadable = high is null && problem is not null ? $"{evidence}: {problem}"
            : date.Unreadable ? $"{shown}: its date could not be read"
            : null;
        return new LabValue(group, value, high, date, evidence, unreadable);
    }

    public static string Name(string group) => group switch
    {
        "crp" => "CRP",
        "esr" => "ESR",
        "wbc" => "WBC",
        "body-temperature" => "Body temperature",
        _ => group,
    };

    private static string Unit(string group) => group switch
    {
        "crp" => "mg/L",
        "esr" => "mm/h",
        "wbc" => "x10^9/L",
        "body-temperature" => "C",
        _ => string.Empty,
    };

    // Explicit interpretation decides either way; a "normal" or "low" flag is the lab saying "not high".
    private static bool? Interpretation(Observation observation)
    {
        var coded = false;
        foreach (var concept in observation.Interpretation)
        {
            foreach (var coding in concept.Coding)
            {
                if (coding.Code is not { } code)
                {
                    continue;
                }

                coded = true;
                if (HighInterpretations.Contains(code.Trim(), StringComparer.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return coded ? false : null;
    }

    private static bool? RangeHigh(Observation observation, string group, decimal? value)
    {
        if (value is not { } number)
        {
            return null;
        }

        foreach (var range in observation.ReferenceRange)
        {
            if (range.High is { } limit && FhirFacts.ReadDecimal(limit.ValueElement).Value is { } high
                && Convert(group, high, limit.Code ?? limit.Unit ?? (observation.Value as Quantity)?.Code ?? (observation.Value as Quantity)?.Unit) is { } converted)
            {
                return number > converted;
            }
        }

        return null;
    }

    // Null without a value: a lab without a result is neither raised nor "not raised".
    private static bool? DefaultHigh(string group, decimal? value, ClinicalOptions options, AdministrativeGender? sex) => value is not { } number ? null : group switch
    {
        "crp" => number > options.CrpHighMgPerL,
        "esr" => number > (sex == AdministrativeGender.Female ? options.EsrHighWomenMmPerHour : options.EsrHighMenMmPerHour),
        "wbc" => number > options.WbcHigh10e9PerL,
        _ => false,
    };

    /// <summary>The value in the rules' unit, or null when the unit is unknown (a missing unit is taken as the usual one).</summary>
    public static decimal? Convert(string group, decimal? value, string? unit)
    {
        if (value is not { } number)
        {
            return null;
        }

        var u = (unit ?? string.Empty).Trim().Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        return group switch
        {
            "crp" => u switch
            {
                "" or "MG/L" or "UG/ML" or "MCG/ML" => number,
                "MG/DL" => number * 10m,
                "NMOL/L" => number / 9.524m,
                _ => null,
            },
            "esr" => u is "" or "MM/H" or "MM/HR" or "MM/(1.H)" or "MM/HOUR" ? number : null,
            "wbc" => u switch
            {
                "" or "10*9/L" or "10^9/L" or "X10^9/L" or "X10E9/L" or "GI/L" or "10*3/UL" or "10^3/UL" or "X10E3/UL" or "X10^3/UL"
                    or "K/UL" or "THOU/UL" or "10*3/MM3" or "10^3/MM3" or "/NL" or "1000/UL" => number,
                "/UL" or "/MM3" or "CELLS/UL" or "{CELLS}/UL" => number / 1000m,
                _ => null,
            },
            "body-temperature" => u switch
            {
                "CEL" or "C" or "°C" or "DEGC" => number,
                "[DEGF]" or "F" or "°F" or "DEGF" => (number - 32m) * 5m / 9m,
                "" => number > 45m ? (number - 32m) * 5m / 9m : number,
                _ => null,
            },
            _ => number,
        };
    }
}

using System.Globalization;
using System.Text;

namespace BmesCds.Clinical.Findings;

/// <summary>One piece of evidence for a finding, as the card detail shows it: what (a code display) and when.</summary>
public sealed record Evidence(string Display, DateTimeOffset? Date)
{
    /// <summary>By date (undated first), then display: the canonical order of evidence in a card.</summary>
    public static int Compare(Evidence? a, Evidence? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }

        var byDate = Nullable.Compare(a.Date, b.Date);
        return byDate != 0 ? byDate : string.CompareOrdinal(a.Display, b.Display);
    }

    public override string ToString() => Date is { } date
        ? $"{Display}, {date.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"
        : Display;

    /// <summary>Writes <see cref="ToString"/> into a card's text without a string of its own.</summary>
    public void AppendTo(StringBuilder text)
    {
        text.Append(Display);
        if (Date is { } date)
        {
            text.Append(CultureInfo.InvariantCulture, $", {date.UtcDateTime:yyyy-MM-dd}");
        }
    }
}

/// <summary>An ON risk factor group (glucocorticoids, alcohol, ...) with the records that show it.</summary>
public sealed record RiskFactor(string Group, IReadOnlyList<Evidence> Evidence)
{
    public string Describe() => $"{GroupName(Group)}: {string.Join("; ", Evidence)}";

    public static string GroupName(string group) => group switch
    {
        "glucocorticoids" => "systemic glucocorticoids",
        "alcohol" => "alcohol",
        "sickle-cell" => "sickle cell disease",
        "sle" => "systemic lupus erythematosus",
        "hiv" => "HIV",
        "gaucher" => "Gaucher disease",
        "transplant" => "organ transplantation",
        "decompression" => "decompression disease",
        "radiation-chemotherapy" => "radiation / chemotherapy",
        "hip-fracture-dislocation" => "prior hip fracture / dislocation",
        "other-hip-osteonecrosis" => "osteonecrosis of the other hip",
        "other-joint-osteonecrosis" => "osteonecrosis of another joint (multifocal)",
        _ => group,
    };
}

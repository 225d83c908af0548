using System.Text.Json.Serialization;
using BmesCds.CdsHooks.Fhir;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Responses;

/// <summary>A CDS service response: `cards` is always present, even when empty.</summary>
public sealed record CdsResponse(IReadOnlyList<Card> Cards)
{
    public static CdsResponse Empty { get; } = new([]);
}

/// <summary>A card (CDS Hooks 2.0 "Card Attributes"). Optional members are null when absent, never empty.</summary>
public sealed record Card(
    string Uuid,
    string Summary,
    string? Detail,
    string Indicator,
    CardSource Source,
    IReadOnlyList<Suggestion>? Suggestions,
    string? SelectionBehavior,
    IReadOnlyList<CdsCoding>? OverrideReasons,
    IReadOnlyList<CardLink>? Links);

/// <summary>The source of a card's guidance.</summary>
public sealed record CardSource(string Label, string? Url, string? Icon, CdsCoding? Topic);

/// <summary>A CDS Hooks Coding: `display` is always given for topics and override reasons.</summary>
public sealed record CdsCoding(string Code, string System, string? Display);

/// <summary>A suggestion: its actions are applied together when accepted.</summary>
public sealed record Suggestion(string Label, string Uuid, bool? IsRecommended, IReadOnlyList<CdsAction>? Actions);

/// <summary>
/// A suggestion action. `resource` carries the FHIR JSON for create/update; delete uses `resourceId`
/// (the deprecated id-in-resource form is never produced).
/// </summary>
public sealed record CdsAction(
    string Type,
    string Description,
    [property: JsonConverter(typeof(FhirResourceJsonConverter))] Resource? Resource,
    string? ResourceId);

/// <summary>An absolute link to more information.</summary>
public sealed record CardLink(string Label, string Url, string Type);

using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.CdsHooks.Responses;
using BmesCds.Clinical;
using BmesCds.Ledger.Records;
using BmesCds.Service.Auth;
using BmesCds.Service.Hosting;
using BmesCds.Service.IntegrationConsole;
using BmesCds.Service.Ledger;
using BmesCds.Service.Management;
using BmesCds.Service.Memory;
using BmesCds.Service.PatientData;
using BmesCds.Service.Terminology;
using BmesCds.Service.Validation;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// The settings the service reads, from its options classes: a key such as <c>Auth:TrustedClients:0:Issuer</c> (or the
/// environment form <c>Auth__TrustedClients__0__Issuer</c>) is known when it walks down their properties (list items by
/// index, dictionary entries by any name) to a value, and a value is valid when it converts to that property's type.
/// Deployment files are checked against it, so a misspelt or invented setting fails a test instead of being ignored.
/// </summary>
public static class KnownSettings
{
    /// <summary>Every section the service binds, and the options classes that bind it.</summary>
    public static IReadOnlyDictionary<string, Type[]> Sections { get; } = new Dictionary<string, Type[]>(StringComparer.OrdinalIgnoreCase)
    {
        ["Auth"] = [typeof(CdsClientAuthOptions)],
        ["Fhir"] = [typeof(FhirFetchOptions), typeof(PrefetchOptions)],
        ["Cards"] = [typeof(CardOptions)],
        ["Clinical"] = [typeof(ClinicalOptions)],
        ["Requests"] = [typeof(RequestLimits), typeof(RequestTimeOptions)],
        ["Terminology"] = [typeof(TerminologyOptions)],
        ["Validation"] = [typeof(FhirValidationOptions)],
        ["Cors"] = [typeof(CorsOptions)],
        ["Ledger"] = [typeof(LedgerOptions)],
        ["Management"] = [typeof(ManagementOptions)],
        ["Console"] = [typeof(ConsoleOptions)],
        ["Memory"] = [typeof(MemoryOptions)],
    };

    // Read by ASP.NET Core or the host itself, not through an options class of ours.
    private static readonly Dictionary<string, Type> Plain = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Urls"] = typeof(string),
        ["AllowedHosts"] = typeof(string),
        ["Clock:FixedUtcNow"] = typeof(DateTimeOffset),
        ["ASPNETCORE_ENVIRONMENT"] = typeof(string),
        ["Rules:Disabled"] = typeof(string),
        ["Cards:Mode"] = typeof(CardMode),
        // OpenTelemetry's own environment variables, read by its exporters.
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = typeof(Uri),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = typeof(string),
        ["OTEL_SERVICE_NAME"] = typeof(string),
    };

    /// <summary>Whether the key is one the host reads outside the options classes (Urls, Clock:FixedUtcNow, ...).</summary>
    public static bool IsPlain(string key) => Plain.ContainsKey(PlainKey(key.Replace("__", ":", StringComparison.Ordinal)));

    private static string PlainKey(string key) =>
        System.Text.RegularExpressions.Regex.Replace(key, @"^Cards:Services:[^:]+:Mode$", "Cards:Mode").Split(":0")[0];

    /// <summary>Null when the key is a setting of the service and the value (null: not known here, e.g. from a Secret) fits it.</summary>
    public static string? Problem(string key, string? value)
    {
        key = key.Replace("__", ":", StringComparison.Ordinal);
        if (key.StartsWith("Logging:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // A list given item by item (Rules:Disabled:0) is the list's setting.
        var plainKey = PlainKey(System.Text.RegularExpressions.Regex.Replace(key, @":\d+$", ""));
        if (Plain.TryGetValue(plainKey, out var plainType))
        {
            return Converts(plainType, value) ? null : $"{key}: '{value}' is not a {plainType.Name}";
        }

        var segments = key.Split(':');
        if (!Sections.TryGetValue(segments[0], out var types))
        {
            return $"{key}: the service has no section '{segments[0]}'";
        }

        var leaf = types.Select(type => Leaf(type, segments.AsSpan(1))).FirstOrDefault(found => found is not null);
        if (leaf is null)
        {
            return $"{key}: no such setting";
        }

        return Converts(leaf, value) ? null : $"{key}: '{value}' is not a {leaf.Name}";
    }

    /// <summary>The type at the end of the path, or null when the path leaves the options class.</summary>
    private static Type? Leaf(Type type, ReadOnlySpan<string> path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (path.IsEmpty)
        {
            // A list of values may be given as one comma-separated value (Management__ApiKeys=k1,k2).
            return IsValue(type) ? type : ItemType(type) is { } listed && IsValue(listed) ? typeof(string) : null;
        }

        if (IsValue(type))
        {
            return null;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() is var generic
            && (generic == typeof(Dictionary<,>) || generic == typeof(IDictionary<,>) || generic == typeof(IReadOnlyDictionary<,>)))
        {
            return Leaf(type.GetGenericArguments()[1], path[1..]);
        }

        if (ItemType(type) is { } item)
        {
            return int.TryParse(path[0], NumberStyles.None, CultureInfo.InvariantCulture, out _) ? Leaf(item, path[1..]) : null;
        }

        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is null ? null : Leaf(property.PropertyType, path[1..]);
    }

    private static Type? ItemType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0] is { } item
          && typeof(IEnumerable).IsAssignableFrom(type) ? item
        : null;

    private static bool IsValue(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Uri)
        || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(TimeSpan);

    private static bool Converts(Type type, string? value)
    {
        if (value is null)
        {
            return true;
        }

        try
        {
            if (type == typeof(Uri))
            {
                return Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _);
            }

            _ = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException)
        {
            return false;
        }
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Fhir;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Requests;

/// <summary>
/// Turns the JSON body of a service call into a <see cref="HookRequest"/>, checking what CDS Hooks 2.0 requires and
/// tolerating everything else (unknown fields, extensions, the sandbox's FHIR quirks). The first problem found is
/// reported with the path of the offending field.
/// </summary>
public static partial class HookRequestParser
{
    private const int MaxHookInstanceLength = 128;

    public static Parsed<HookRequest> Parse(JsonElement root, HookKind serviceHook)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new ProtocolError(string.Empty, "the request body must be a JSON object");
        }

        var expectedHook = HookNames.Of(serviceHook);
        if (RequiredString(root, "hook", "hook") is { Error: { } hookError })
        {
            return hookError;
        }

        var hook = root.GetProperty("hook").GetString()!;
        if (hook != expectedHook)
        {
            return new ProtocolError("hook", $"this service answers the '{expectedHook}' hook, but the request is for '{hook}'");
        }

        var hookInstance = ReadHookInstance(root);
        if (hookInstance.Error is { } instanceError)
        {
            return instanceError;
        }

        var fhirServer = ReadFhirServer(root);
        if (fhirServer.Error is { } serverError)
        {
            return serverError;
        }

        var authorization = ReadFhirAuthorization(root);
        if (authorization.Error is { } authorizationError)
        {
            return authorizationError;
        }

        if (authorization.Value is not null && fhirServer.Value is null)
        {
            return new ProtocolError("fhirServer", "is required when fhirAuthorization is given", ProtocolErrorKind.Required);
        }

        var context = ReadContext(root, serviceHook);
        if (context.Error is { } contextError)
        {
            return contextError;
        }

        var prefetch = PrefetchParser.Parse(root);
        if (prefetch.Error is { } prefetchError)
        {
            return prefetchError;
        }

        JsonElement? extension = root.TryGetProperty("extension", out var ext) && ext.ValueKind == JsonValueKind.Object
            ? ext.Clone()
            : null;

        var parsedContext = context.Value!;
        return new HookRequest(
            hook,
            hookInstance.Value!,
            fhirServer.Value is { } url ? new Uri(url) : null,
            authorization.Value,
            parsedContext.Context,
            parsedContext.DraftOrders,
            prefetch.Value!.Values,
            extension,
            parsedContext.ReadIssues);
    }

    private static Parsed<string> ReadHookInstance(JsonElement root)
    {
        var value = RequiredString(root, "hookInstance", "hookInstance");
        if (value.Error is not null)
        {
            return value;
        }

        // hookInstance is logged: keep it to a UUID-like alphabet so it cannot forge log lines.
        return value.Value!.Length <= MaxHookInstanceLength && HookInstanceAlphabet().IsMatch(value.Value)
            ? value
            : new ProtocolError("hookInstance", $"must be a UUID (at most {MaxHookInstanceLength} letters, digits, '-', '_', '.' or ':')");
    }

    private static Parsed<string> ReadFhirServer(JsonElement root)
    {
        if (!root.TryGetProperty("fhirServer", out var server) || server.ValueKind == JsonValueKind.Null)
        {
            return new Parsed<string>(null, null);
        }

        return server.ValueKind == JsonValueKind.String
            && Uri.TryCreate(server.GetString(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri
            : new ProtocolError("fhirServer", "must be an absolute http(s) URL");
    }

    private static Parsed<FhirAuthorization> ReadFhirAuthorization(JsonElement root)
    {
        if (!root.TryGetProperty("fhirAuthorization", out var auth) || auth.ValueKind == JsonValueKind.Null)
        {
            return new Parsed<FhirAuthorization>(null, null);
        }

        if (auth.ValueKind != JsonValueKind.Object)
        {
            return new ProtocolError("fhirAuthorization", "must be an object");
        }

        if (RequiredString(auth, "access_token", "fhirAuthorization.access_token") is { Error: { } tokenError })
        {
            return tokenError;
        }

        if (RequiredString(auth, "token_type", "fhirAuthorization.token_type") is { Error: { } typeError })
        {
            return typeError;
        }

        var tokenType = auth.GetProperty("token_type").GetString()!;
        if (!tokenType.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return new ProtocolError("fhirAuthorization.token_type", "must be 'Bearer'");
        }

        int? expiresIn = auth.TryGetProperty("expires_in", out var expires) && expires.ValueKind == JsonValueKind.Number
            && expires.TryGetInt32(out var seconds) ? seconds : null;
        return new FhirAuthorization(
            auth.GetProperty("access_token").GetString()!,
            "Bearer",
            expiresIn,
            OptionalString(auth, "scope"),
            OptionalString(auth, "subject"));
    }

    private sealed record ParsedContext(HookContext Context, IReadOnlyList<Resource> DraftOrders, IReadOnlyList<FhirReadIssue> ReadIssues);

    private static Parsed<ParsedContext> ReadContext(JsonElement root, HookKind hook)
    {
        if (!root.TryGetProperty("context", out var context) || context.ValueKind == JsonValueKind.Null)
        {
            return new ProtocolError("context", "is required", ProtocolErrorKind.Required);
        }

        if (context.ValueKind != JsonValueKind.Object)
        {
            return new ProtocolError("context", "must be an object");
        }

        if (RequiredString(context, "patientId", "context.patientId") is { Error: { } patientError })
        {
            return patientError;
        }

        // order-sign names userId REQUIRED too, but some EHRs leave it out there; the rules do not need it.
        var userId = OptionalString(context, "userId");
        if (hook != HookKind.OrderSign && RequiredString(context, "userId", "context.userId") is { Error: { } userError })
        {
            return userError;
        }

        var encounterId = OptionalString(context, "encounterId");
        var selections = hook == HookKind.OrderSelect ? ReadSelections(context) : new Parsed<IReadOnlyList<string>>([], null);
        if (selections.Error is { } selectionError)
        {
            return selectionError;
        }

        var draftOrders = hook == HookKind.PatientView
            ? new Parsed<DraftOrders>(DraftOrders.None, null)
            : DraftOrdersReader.Read(context);
        if (draftOrders.Error is { } draftError)
        {
            return draftError;
        }

        var patientId = StripType(context.GetProperty("patientId").GetString()!, "Patient");
        return new ParsedContext(
            new HookContext(hook, patientId, userId, encounterId is null ? null : StripType(encounterId, "Encounter"), selections.Value!),
            draftOrders.Value!.Resources,
            draftOrders.Value.Issues);
    }

    private static Parsed<IReadOnlyList<string>> ReadSelections(JsonElement context)
    {
        if (!context.TryGetProperty("selections", out var selections) || selections.ValueKind == JsonValueKind.Null)
        {
            return new ProtocolError("context.selections", "is required for order-select", ProtocolErrorKind.Required);
        }

        if (selections.ValueKind != JsonValueKind.Array)
        {
            return new ProtocolError("context.selections", "must be an array of references such as 'ServiceRequest/123'");
        }

        var references = new List<string>();
        var index = 0;
        foreach (var selection in selections.EnumerateArray())
        {
            if (selection.ValueKind != JsonValueKind.String || !RelativeReference().IsMatch(selection.GetString()!))
            {
                return new ProtocolError($"context.selections[{index}]", "must be a relative reference such as 'ServiceRequest/123'");
            }

            references.Add(selection.GetString()!);
            index++;
        }

        return references;
    }

    /// <summary>Contexts give ids, but some clients send "Patient/123": accept both.</summary>
    private static string StripType(string id, string type) =>
        id.StartsWith(type + "/", StringComparison.Ordinal) ? id[(type.Length + 1)..] : id;

    internal static Parsed<string> RequiredString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return new ProtocolError(path, "is required", ProtocolErrorKind.Required);
        }

        return value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : new ProtocolError(path, "must be a non-empty string");
    }

    internal static string? OptionalString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;

    [GeneratedRegex("^[A-Za-z0-9._:-]+$")]
    private static partial Regex HookInstanceAlphabet();

    [GeneratedRegex("^[A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64}$")]
    private static partial Regex RelativeReference();
}

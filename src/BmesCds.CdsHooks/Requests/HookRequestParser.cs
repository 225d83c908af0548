using System.Text.Json;
using System.Text.RegularExpressions;
using BmesCds.CdsHooks.Fhir;
using BmesCds.CdsHooks.Json;
using BmesCds.Clinical.Engine;
using Hl7.Fhir.Model;

namespace BmesCds.CdsHooks.Requests;

/// <summary>
/// Turns the body of a service call into a <see cref="HookRequest"/> in one pass over its bytes, checking what
/// CDS Hooks 2.0 requires and tolerating everything else (unknown fields, extensions, the sandbox's FHIR quirks).
/// The text is checked at the door (UTF-8, surrogates), every token against the request limits, and the prefetch and
/// draftOrders resources are found by the one record walk without being copied. The first problem, in the order
/// the fields are checked (hook, hookInstance, fhirServer, fhirAuthorization, context, prefetch), is reported with the
/// path of the offending field.
/// </summary>
public static partial class HookRequestParser
{
    private const int MaxHookInstanceLength = 128;

    public static Parsed<HookRequest> Parse(ReadOnlyMemory<byte> body, HookKind serviceHook, RequestLimits limits, FhirJsonWalker walker)
    {
        if (JsonText.Check(body.Span, limits.MaxJsonDepth) is { } brokenText)
        {
            return brokenText;
        }

        Fields fields;
        try
        {
            fields = ReadFields(body.Span, serviceHook, limits, walker);
        }
        catch (RequestRefusedException refused)
        {
            return refused.Error;
        }
        catch (JsonException failure)
        {
            var where = failure.LineNumber is { } line ? $" (line {line + 1}, position {failure.BytePositionInLine + 1})" : string.Empty;
            return new ProtocolError(string.Empty, $"the body is not valid JSON{where}");
        }

        return Validate(fields, body, serviceHook, limits);
    }

    /// <summary>What the pass found, field by field, before the checks; a section that failed keeps its error.</summary>
    private sealed class Fields
    {
        public Field Hook;
        public Field HookInstance;
        public Field FhirServer;
        public Authorization? FhirAuthorization;
        public JsonTokenType FhirAuthorizationKind = JsonTokenType.None;
        public Context? Context;
        public JsonTokenType ContextKind = JsonTokenType.None;
        public Dictionary<string, PrefetchValue>? Prefetch;
        public ProtocolError? PrefetchError;
        public JsonElement? Extension;
    }

    /// <summary>A JSON value as found: its kind and, for a string, its text.</summary>
    private record struct Field(JsonTokenType Kind, string? Text)
    {
        public readonly bool IsMissing => Kind is JsonTokenType.None or JsonTokenType.Null;
    }

    private sealed class Authorization
    {
        public Field AccessToken;
        public Field TokenType;
        public int? ExpiresIn;
        public Field Scope;
        public Field Subject;
    }

    private sealed class Context
    {
        public Field PatientId;
        public Field UserId;
        public Field EncounterId;
        public JsonTokenType SelectionsKind = JsonTokenType.None;
        public List<string>? Selections;
        public int BadSelection = -1;
        public JsonTokenType DraftOrdersKind = JsonTokenType.None;
        public WalkResult? DraftOrders;
        public ProtocolError? DraftOrdersError;
    }

    private static Fields ReadFields(ReadOnlySpan<byte> body, HookKind hook, RequestLimits limits, FhirJsonWalker walker)
    {
        var reader = new LimitedJsonReader(body, limits);
        reader.Next();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RequestRefusedException(new ProtocolError(string.Empty, "the request body must be a JSON object"));
        }

        var fields = new Fields();
        var prefetchBudget = new ResourceBudget(limits.MaxPrefetchResources, "Requests:MaxPrefetchResources", "prefetch");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.Is("hook"u8))
            {
                fields.Hook = ReadField(ref reader);
            }
            else if (reader.Is("hookInstance"u8))
            {
                fields.HookInstance = ReadField(ref reader);
            }
            else if (reader.Is("fhirServer"u8))
            {
                fields.FhirServer = ReadField(ref reader);
            }
            else if (reader.Is("fhirAuthorization"u8))
            {
                reader.Next();
                fields.FhirAuthorizationKind = reader.TokenType;
                fields.FhirAuthorization = reader.TokenType == JsonTokenType.StartObject ? ReadAuthorization(ref reader) : Skipped<Authorization>(ref reader);
            }
            else if (reader.Is("context"u8))
            {
                reader.Next();
                fields.ContextKind = reader.TokenType;
                fields.Context = reader.TokenType == JsonTokenType.StartObject ? ReadContext(ref reader, body, hook, limits, walker) : Skipped<Context>(ref reader);
            }
            else if (reader.Is("prefetch"u8))
            {
                reader.Next();
                (fields.Prefetch, fields.PrefetchError) = ReadPrefetch(ref reader, body, walker, prefetchBudget);
            }
            else if (reader.Is("extension"u8))
            {
                reader.Next();
                var start = reader.TokenStart;
                var isObject = reader.TokenType == JsonTokenType.StartObject;
                reader.SkipValue();
                fields.Extension = isObject ? Clone(body[start..reader.Consumed]) : null;
            }
            else
            {
                reader.Next();
                reader.SkipValue();
            }
        }

        return fields;
    }

    private static T? Skipped<T>(ref LimitedJsonReader reader)
        where T : class
    {
        reader.SkipValue();
        return null;
    }

    // Reader at a property name: the value's kind, and its text when it is a string.
    private static Field ReadField(ref LimitedJsonReader reader)
    {
        reader.Next();
        var kind = reader.TokenType;
        var text = kind == JsonTokenType.String ? reader.GetString() : null;
        reader.SkipValue();
        return new Field(kind, text);
    }

    private static Authorization ReadAuthorization(ref LimitedJsonReader reader)
    {
        var authorization = new Authorization();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.Is("access_token"u8))
            {
                authorization.AccessToken = ReadField(ref reader);
            }
            else if (reader.Is("token_type"u8))
            {
                authorization.TokenType = ReadField(ref reader);
            }
            else if (reader.Is("scope"u8))
            {
                authorization.Scope = ReadField(ref reader);
            }
            else if (reader.Is("subject"u8))
            {
                authorization.Subject = ReadField(ref reader);
            }
            else if (reader.Is("expires_in"u8))
            {
                reader.Next();
                authorization.ExpiresIn = reader.TokenType == JsonTokenType.Number && int.TryParse(reader.ValueSpan, out var seconds) ? seconds : null;
            }
            else
            {
                reader.Next();
                reader.SkipValue();
            }
        }

        return authorization;
    }

    private static Context ReadContext(ref LimitedJsonReader reader, ReadOnlySpan<byte> body, HookKind hook, RequestLimits limits, FhirJsonWalker walker)
    {
        var context = new Context();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.Is("patientId"u8))
            {
                context.PatientId = ReadField(ref reader);
            }
            else if (reader.Is("userId"u8))
            {
                context.UserId = ReadField(ref reader);
            }
            else if (reader.Is("encounterId"u8))
            {
                context.EncounterId = ReadField(ref reader);
            }
            else if (reader.Is("selections"u8))
            {
                reader.Next();
                ReadSelections(ref reader, context, limits);
            }
            else if (reader.Is("draftOrders"u8) && hook != HookKind.PatientView)
            {
                reader.Next();
                context.DraftOrdersKind = reader.TokenType;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    (context.DraftOrders, context.DraftOrdersError) = Walk(
                        ref reader, body, walker, new ResourcePath(DraftOrdersField), new ResourceBudget(limits.MaxDraftOrders, "Requests:MaxDraftOrders", DraftOrdersField));
                }
                else
                {
                    reader.SkipValue();
                }
            }
            else
            {
                reader.Next();
                reader.SkipValue();
            }
        }

        return context;
    }

    private static void ReadSelections(ref LimitedJsonReader reader, Context context, RequestLimits limits)
    {
        context.SelectionsKind = reader.TokenType;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.SkipValue();
            return;
        }

        context.Selections = [];
        context.BadSelection = -1;
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (index >= limits.MaxSelections)
            {
                throw new RequestRefusedException(new ProtocolError(
                    "context.selections", $"holds more than {limits.MaxSelections} references (setting Requests:MaxSelections)", ProtocolErrorKind.TooLarge));
            }

            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } selection && RelativeReference().IsMatch(selection))
            {
                context.Selections.Add(selection);
            }
            else if (context.BadSelection < 0)
            {
                context.BadSelection = index;
            }

            reader.SkipValue();
            index++;
        }
    }

    private const string DraftOrdersField = "context.draftOrders";

    /// <summary>The resources of `context.draftOrders` and the issues the lenient reader worked around.</summary>
    private sealed record DraftOrders(IReadOnlyList<Resource> Resources, IReadOnlyList<FhirReadIssue> Issues)
    {
        public static DraftOrders None { get; } = new([], []);
    }

    // Reader at the prefetch value.
    private static (Dictionary<string, PrefetchValue>? Values, ProtocolError? Error) ReadPrefetch(
        ref LimitedJsonReader reader, ReadOnlySpan<byte> body, FhirJsonWalker walker, ResourceBudget budget)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return (null, null);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.SkipValue();
            return (null, new ProtocolError("prefetch", "must be an object whose values are FHIR resources or null"));
        }

        // Room for the keys our services advertise (ten or so) without growing twice on the way.
        var values = new Dictionary<string, PrefetchValue>(PrefetchKeysCapacity, StringComparer.Ordinal);
        ProtocolError? error = null;
        Span<char> keyBuffer = stackalloc char[CodeStrings.MaxLength];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Keys are the service's template names, the same on every call: shared strings.
            var key = reader.ValueSpan.Length <= CodeStrings.MaxLength ? CodeStrings.Get(keyBuffer[..reader.CopyString(keyBuffer)]) : reader.GetString()!;
            reader.Next();
            if (error is not null)
            {
                reader.SkipValue();
                continue;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    values[key] = PrefetchValue.Null;
                    break;
                case JsonTokenType.StartObject:
                    // The path's text ("prefetch.key") is built only if an error names it.
                    var (found, walkError) = Walk(ref reader, body, walker, new ResourcePath("prefetch", Key: key), budget);
                    error = walkError;
                    if (found is not null)
                    {
                        values[key] = new PrefetchValue(
                            found.Type == "OperationOutcome" ? PrefetchValueKind.OperationOutcome : PrefetchValueKind.Resource, found);
                    }

                    break;
                default:
                    reader.SkipValue();
                    error = new ProtocolError($"prefetch.{key}", "must be a FHIR resource (a JSON object) or null");
                    break;
            }
        }

        return (values, error);
    }

    private const int PrefetchKeysCapacity = 16;

    // Walks the resource at the reader; a refusal inside it (a part of the request, reported in field order later)
    // is kept, and the reader is moved past the value so the pass goes on.
    private static (WalkResult? Found, ProtocolError? Error) Walk(
        ref LimitedJsonReader reader, ReadOnlySpan<byte> body, FhirJsonWalker walker, ResourcePath path, ResourceBudget budget)
    {
        var checkpoint = reader;
        var found = new WalkResult();
        try
        {
            walker.Walk(ref reader, body, path, found, budget);
            return (found, null);
        }
        catch (RequestRefusedException refused) when (refused.Error.Kind != ProtocolErrorKind.TooLarge || refused.Error.Field.Length > 0)
        {
            reader = checkpoint;
            reader.SkipValue();
            return (null, refused.Error);
        }
    }

    private static JsonElement Clone(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        return JsonElement.ParseValue(ref reader);
    }

    private static Parsed<HookRequest> Validate(Fields fields, ReadOnlyMemory<byte> body, HookKind serviceHook, RequestLimits limits)
    {
        var expectedHook = HookNames.Of(serviceHook);
        if (Required(fields.Hook, "hook") is { } hookError)
        {
            return hookError;
        }

        if (fields.Hook.Text != expectedHook)
        {
            return new ProtocolError("hook", $"this service answers the '{expectedHook}' hook, but the request is for '{Printable(fields.Hook.Text!)}'");
        }

        if (Required(fields.HookInstance, "hookInstance") is { } instanceError)
        {
            return instanceError;
        }

        // hookInstance is logged: keep it to a UUID-like alphabet so it cannot forge log lines.
        var hookInstance = fields.HookInstance.Text!;
        if (hookInstance.Length > MaxHookInstanceLength || !HookInstanceAlphabet().IsMatch(hookInstance))
        {
            return new ProtocolError("hookInstance", $"must be a UUID (at most {MaxHookInstanceLength} letters, digits, '-', '_', '.' or ':')");
        }

        Uri? fhirServer = null;
        if (!fields.FhirServer.IsMissing)
        {
            if (fields.FhirServer.Text is not { } serverText
                || !Uri.TryCreate(serverText, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                return new ProtocolError("fhirServer", "must be an absolute http(s) URL");
            }

            fhirServer = new Uri(uri.AbsoluteUri);
        }

        var authorization = ReadAuthorization(fields);
        if (authorization.Error is { } authorizationError)
        {
            return authorizationError;
        }

        if (authorization.Value is not null && fhirServer is null)
        {
            return new ProtocolError("fhirServer", "is required when fhirAuthorization is given", ProtocolErrorKind.Required);
        }

        var context = ReadContext(fields, serviceHook, body.Span);
        if (context.Error is { } contextError)
        {
            return contextError;
        }

        if (fields.PrefetchError is { } prefetchError)
        {
            return prefetchError;
        }

        var (hookContext, draftOrders, readIssues) = context.Value!;
        return new HookRequest(
            expectedHook,
            hookInstance,
            fhirServer,
            authorization.Value,
            hookContext,
            draftOrders,
            fields.Prefetch ?? (IReadOnlyDictionary<string, PrefetchValue>)EmptyPrefetch,
            body,
            fields.Extension,
            readIssues);
    }

    private static readonly Dictionary<string, PrefetchValue> EmptyPrefetch = new(StringComparer.Ordinal);

    private static Parsed<FhirAuthorization> ReadAuthorization(Fields fields)
    {
        if (fields.FhirAuthorizationKind is JsonTokenType.None or JsonTokenType.Null)
        {
            return new Parsed<FhirAuthorization>(null, null);
        }

        if (fields.FhirAuthorization is not { } auth)
        {
            return new ProtocolError("fhirAuthorization", "must be an object");
        }

        if (Required(auth.AccessToken, "fhirAuthorization.access_token") is { } tokenError)
        {
            return tokenError;
        }

        if (Required(auth.TokenType, "fhirAuthorization.token_type") is { } typeError)
        {
            return typeError;
        }

        if (!auth.TokenType.Text!.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return new ProtocolError("fhirAuthorization.token_type", "must be 'Bearer'");
        }

        // The token goes into an Authorization header: a space or control character there could split the header.
        if (auth.AccessToken.Text!.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return new ProtocolError("fhirAuthorization.access_token", "must be a token without spaces or control characters");
        }

        return new FhirAuthorization(auth.AccessToken.Text!, "Bearer", auth.ExpiresIn, Optional(auth.Scope), Optional(auth.Subject));
    }

    private sealed record ParsedContext(HookContext Context, IReadOnlyList<Resource> DraftOrders, IReadOnlyList<FhirReadIssue> ReadIssues);

    private static Parsed<ParsedContext> ReadContext(Fields fields, HookKind hook, ReadOnlySpan<byte> body)
    {
        if (fields.ContextKind is JsonTokenType.None or JsonTokenType.Null)
        {
            return new ProtocolError("context", "is required", ProtocolErrorKind.Required);
        }

        if (fields.Context is not { } context)
        {
            return new ProtocolError("context", "must be an object");
        }

        if (Required(context.PatientId, "context.patientId") is { } patientError)
        {
            return patientError;
        }

        // order-sign names userId REQUIRED too, but some EHRs leave it out there; the rules do not need it.
        if (hook != HookKind.OrderSign && Required(context.UserId, "context.userId") is { } userError)
        {
            return userError;
        }

        IReadOnlyList<string> selections = [];
        if (hook == HookKind.OrderSelect)
        {
            if (context.SelectionsKind is JsonTokenType.None or JsonTokenType.Null)
            {
                return new ProtocolError("context.selections", "is required for order-select", ProtocolErrorKind.Required);
            }

            if (context.Selections is null)
            {
                return new ProtocolError("context.selections", "must be an array of references such as 'ServiceRequest/123'");
            }

            if (context.BadSelection >= 0)
            {
                return new ProtocolError($"context.selections[{context.BadSelection}]", "must be a relative reference such as 'ServiceRequest/123'");
            }

            selections = context.Selections;
        }

        var draftOrders = hook == HookKind.PatientView ? new Parsed<DraftOrders>(DraftOrders.None, null) : ReadDraftOrders(context, body);
        if (draftOrders.Error is { } draftError)
        {
            return draftError;
        }

        var patientId = StripType(context.PatientId.Text!, "Patient");
        var encounterId = Optional(context.EncounterId);
        return new ParsedContext(
            new HookContext(hook, patientId, Optional(context.UserId), encounterId is null ? null : StripType(encounterId, "Encounter"), selections),
            draftOrders.Value!.Resources,
            draftOrders.Value.Issues);
    }

    private const string NotABundle = "must be a FHIR Bundle (an object with resourceType 'Bundle')";

    private static Parsed<DraftOrders> ReadDraftOrders(Context context, ReadOnlySpan<byte> body)
    {
        if (context.DraftOrdersKind is JsonTokenType.None or JsonTokenType.Null)
        {
            return new ProtocolError(DraftOrdersField, "is required", ProtocolErrorKind.Required);
        }

        if (context.DraftOrdersError is { } error)
        {
            // The Bundle itself without a usable resourceType is "not a Bundle"; anything inside keeps its own path.
            return error.Field == DraftOrdersField && error.Kind != ProtocolErrorKind.TooLarge ? new ProtocolError(DraftOrdersField, NotABundle) : error;
        }

        if (context.DraftOrders is not { Type: "Bundle" } found)
        {
            return new ProtocolError(DraftOrdersField, NotABundle);
        }

        // Every draft order is read (the rules judge them all), each on its own and leniently.
        var resources = new List<Resource>(found.Resources.Count);
        List<FhirReadIssue>? issues = null;
        foreach (var order in found.Resources)
        {
            var read = LenientFhirReader.Read(order.Json(body), order.Type);
            if (read.Resource is null)
            {
                return new ProtocolError(order.Path.ToString(), read.Refusal!);
            }

            resources.Add(read.Resource);
            if (read.Issues.Count > 0)
            {
                var path = order.Path.ToString();
                (issues ??= []).AddRange(read.Issues.Select(issue => issue with { Location = $"{path}.{issue.Location}" }));
            }
        }

        return new DraftOrders(resources, issues ?? (IReadOnlyList<FhirReadIssue>)[]);
    }

    /// <summary>Contexts give ids, but some clients send "Patient/123": accept both.</summary>
    private static string StripType(string id, string type) =>
        id.Length > type.Length && id[type.Length] == '/' && id.StartsWith(type, StringComparison.Ordinal) ? id[(type.Length + 1)..] : id;

    private static ProtocolError? Required(Field field, string path) =>
        field.IsMissing ? new ProtocolError(path, "is required", ProtocolErrorKind.Required)
        : string.IsNullOrWhiteSpace(field.Text) ? new ProtocolError(path, "must be a non-empty string")
        : null;

    private static string? Optional(Field field) => string.IsNullOrWhiteSpace(field.Text) ? null : field.Text;

    // Values from the caller that an error message echoes: short and printable.
    private static string Printable(string text) => new([.. text.Take(64).Where(c => !char.IsControl(c))]);

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

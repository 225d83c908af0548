using System.Runtime.CompilerServices;
using System.Text.Json;
using BmesCds.CdsHooks.Json;
using BmesCds.CdsHooks.Requests;
using BmesCds.Clinical.Findings;

namespace BmesCds.CdsHooks.Fhir;

/// <summary>
/// The one walk over FHIR JSON, for prefetch values and fetched pages alike: a resource, or a Bundle (nested Bundles
/// too), flattened into <see cref="FoundResource"/>s. On the way it checks each resource's type (one type check),
/// skips search-outcome entries, picks up a searchset's `next` link, and asks <see cref="RecordInterest"/> whether the
/// rules read the resource, from the coded elements recorded as byte ranges. Nothing is parsed into FHIR objects here
/// and no string is built for a resource the rules do not read. Refusals throw <see cref="RequestRefusedException"/>
/// naming the resource's path.
/// </summary>
public sealed class FhirJsonWalker(RecordInterest interest)
{
    // What the walk asks of each resource of a read type: RecordInterest's question, or a test's in its place.
    private readonly RelevanceQuestion? _question;

    /// <summary>A walk that asks <paramref name="question"/> instead of <see cref="RecordInterest"/> (tests see the views).</summary>
    internal FhirJsonWalker(RecordInterest interest, RelevanceQuestion question)
        : this(interest) => _question = question;

    internal delegate bool RelevanceQuestion(string resourceType, scoped in JsonResourceView resource);

    /// <summary>Bundles nested deeper than this are not opened (as before: a Bundle of Bundles of Bundles...).</summary>
    public const int MaxBundleDepth = 4;

    /// <summary>Walks the value at the reader's current token, which must be a JSON object (a resource).</summary>
    public void Walk(ref LimitedJsonReader reader, ReadOnlySpan<byte> json, ResourcePath path, WalkResult into, ResourceBudget budget) =>
        into.Type = WalkObject(ref reader, json, 0, path, into.Resources, budget, into);

    // Reader at StartObject. Returns the object's resource type; a resource is added to `into`, a Bundle's entries are.
    private string WalkObject(
        ref LimitedJsonReader reader, ReadOnlySpan<byte> json, int bundleDepth, ResourcePath path, List<FoundResource> into, ResourceBudget budget, WalkResult? top)
    {
        var start = reader.TokenStart;
        string? type = null;
        string? unknownType = null;
        int idStart = -1, idLength = 0;
        var idEscaped = false;
        var concepts = default(RecordedConcepts);
        var presence = 0;
        int deferredEntries = -1, deferredEntriesEnd = -1;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = ResourceMembers.Of(ref reader);
            reader.Next();
            switch (member)
            {
                case ResourceMembers.ResourceType when reader.TokenType == JsonTokenType.String:
                    type = reader.ValueIsEscaped ? KnownOrNull(reader.GetString()) : KnownResourceTypes.Find(reader.ValueSpan);
                    unknownType = type is null ? reader.GetString() : null;
                    break;
                case ResourceMembers.Id when reader.TokenType == JsonTokenType.String:
                    (idStart, idLength, idEscaped) = (reader.TokenStart + 1, reader.ValueSpan.Length, reader.ValueIsEscaped);
                    break;
                case ResourceMembers.Entry when type is null:
                    // resourceType comes later (rare): walk the entries once the object is known to be a Bundle.
                    deferredEntries = reader.TokenStart;
                    reader.SkipValue();
                    deferredEntriesEnd = reader.Consumed;
                    break;
                case ResourceMembers.Entry when type == "Bundle":
                    WalkEntries(ref reader, json, bundleDepth, path, into, budget);
                    break;
                case ResourceMembers.Link when top is not null && type is null or "Bundle":
                    top.NextLink = ReadNextLink(ref reader, json) ?? top.NextLink;
                    break;
                case >= ResourceMembers.FirstCoded and < ResourceMembers.FirstPresence:
                    // Recorded while passing, so that the relevance questions do not tokenize it again.
                    concepts.Record(ref reader, member - ResourceMembers.FirstCoded);
                    break;
                case >= ResourceMembers.FirstPresence:
                    presence |= reader.TokenType == JsonTokenType.Null ? 0 : 1 << (member - ResourceMembers.FirstPresence);
                    reader.SkipValue();
                    break;
                default:
                    reader.SkipValue();
                    break;
            }
        }

        var end = reader.Consumed;
        if (type is null)
        {
            throw NotAResource(path, unknownType);
        }

        if (type == "Bundle")
        {
            concepts.ReturnBuffers();
            if (deferredEntries >= 0)
            {
                WalkDeferredEntries(reader.Over(json[..deferredEntriesEnd], deferredEntries), json, bundleDepth, path, into, budget);
            }

            return type;
        }

        if (top is not null)
        {
            top.NextLink = null;
        }

        budget.Spend();
        var relevant = RecordInterest.IsReadType(type) && IsRelevant(type, json, in concepts, presence);
        concepts.ReturnBuffers();
        if (into.Capacity == 0)
        {
            // Most prefetch values hold one resource (a Patient, a short search): room for one, then the list doubles.
            into.Capacity = 1;
        }

        into.Add(new FoundResource(type, start, end - start, idStart, idLength, idEscaped, relevant, path));
        return type;
    }

    // Not inlined, as the recording: the questions' locals would join the frame the walk zeroes for every object.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool IsRelevant(string type, ReadOnlySpan<byte> json, ref readonly RecordedConcepts concepts, int presence)
    {
        var view = new JsonResourceView(json, in concepts, presence);
        return _question is null ? interest.IsRelevant(type, view) : _question(type, view);
    }

    // Entries met before the resourceType (rare): walked once the object is known to be a Bundle. Not inlined, so that
    // this reader is not part of the frame every resource's walk sets up.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WalkDeferredEntries(
        LimitedJsonReader entries, ReadOnlySpan<byte> json, int bundleDepth, ResourcePath path, List<FoundResource> into, ResourceBudget budget)
    {
        entries.Next();
        WalkEntries(ref entries, json, bundleDepth, path, into, budget);
    }

    // Reader at the value of "entry".
    private void WalkEntries(
        ref LimitedJsonReader reader, ReadOnlySpan<byte> json, int bundleDepth, ResourcePath path, List<FoundResource> into, ResourceBudget budget)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Refused(path.Member("entry"), "must be an array");
        }

        if (bundleDepth >= MaxBundleDepth)
        {
            reader.SkipValue();
            return;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var entryPath = path.EntryAt(index);
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw EntryNotAnObject(path, index);
            }

            WalkEntry(ref reader, json, bundleDepth, entryPath, into, budget);
            index++;
        }
    }

    // Reader at an entry object: its resource (if any) is walked; a search outcome (mode "outcome") is dropped.
    private void WalkEntry(
        ref LimitedJsonReader reader, ReadOnlySpan<byte> json, int bundleDepth, ResourcePath path, List<FoundResource> into, ResourceBudget budget)
    {
        var before = into.Count;
        string? resourceType = null;
        var outcomeMode = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.Is("resource"u8))
            {
                reader.Next();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    resourceType = WalkObject(ref reader, json, bundleDepth + 1, path, into, budget, null);
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    throw Refused(path, "must be a FHIR resource (a JSON object) or null");
                }
            }
            else if (reader.Is("search"u8))
            {
                reader.Next();
                outcomeMode = ReadSearchMode(ref reader) == "outcome";
            }
            else
            {
                reader.Next();
                reader.SkipValue();
            }
        }

        // Searchsets may carry an OperationOutcome entry (search.mode "outcome") with warnings: not patient data.
        if (outcomeMode && resourceType == "OperationOutcome" && into.Count == before + 1)
        {
            into.RemoveAt(before);
        }
    }

    private static string? ReadSearchMode(ref LimitedJsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.SkipValue();
            return null;
        }

        string? mode = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMode = reader.Is("mode"u8);
            reader.Next();
            if (isMode && reader.TokenType == JsonTokenType.String)
            {
                mode = reader.Is("outcome"u8) ? "outcome" : "other";
            }
            else
            {
                reader.SkipValue();
            }
        }

        return mode;
    }

    // Reader at the value of "link": the url of the link whose relation is "next", as written. Met once per page, so not
    // inlined into the walk of every resource.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string? ReadNextLink(ref LimitedJsonReader reader, ReadOnlySpan<byte> json)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.SkipValue();
            return null;
        }

        string? next = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.SkipValue();
                continue;
            }

            // The url as a range of the JSON: only a next link's becomes a string (every page has its self link).
            int urlStart = -1, urlLength = 0;
            var urlEscaped = false;
            var isNext = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.Is("relation"u8) ? 1 : reader.Is("url"u8) ? 2 : 0;
                reader.Next();
                if (name == 1 && reader.TokenType == JsonTokenType.String)
                {
                    isNext = reader.Is("next"u8);
                }
                else if (name == 2 && reader.TokenType == JsonTokenType.String)
                {
                    (urlStart, urlLength, urlEscaped) = (reader.TokenStart, reader.ValueSpan.Length, reader.ValueIsEscaped);
                }
                else
                {
                    reader.SkipValue();
                }
            }

            // Hardening (issue 12): a "next" link without a string url, or two different ones, cannot be followed; the
            // host fails the key on it instead of ending the record silently at this page.
            if (isNext)
            {
                var url = urlStart < 0 ? null : StringAt(json, urlStart, urlLength, urlEscaped);
                next = next is null || next == url ? url ?? UnusableNextLink : UnusableNextLink;
            }
        }

        return next;
    }

    // The text of the string token at `start` (its opening quote) whose value, as written, is `length` bytes long.
    private static string StringAt(ReadOnlySpan<byte> json, int start, int length, bool escaped)
    {
        if (!escaped)
        {
            return System.Text.Encoding.UTF8.GetString(json.Slice(start + 1, length));
        }

        var reader = new Utf8JsonReader(json.Slice(start, length + 2));
        reader.Read();
        return reader.GetString()!;
    }

    /// <summary>What <see cref="WalkResult.NextLink"/> holds for a `next` link that is there but cannot be followed.</summary>
    public const string UnusableNextLink = "urn:bmes-cds:unusable-next-link";

    private static string? KnownOrNull(string? name) => name is not null && KnownResourceTypes.IsKnown(name) ? string.Intern(name) : null;

    // The type comes from the caller: echo a short, printable form of it.
    private static string Printable(string text) => new([.. text.Take(64).Where(c => !char.IsControl(c))]);

    private static RequestRefusedException Refused(ResourcePath path, string message) => Refused(path.ToString(), message);

    // The refusals' texts are made in methods of their own, so that the walk's frames hold no string builders.
    private static RequestRefusedException NotAResource(ResourcePath path, string? unknownType) =>
        Refused(path, unknownType is null ? "has no resourceType" : $"'{Printable(unknownType)}' is not a FHIR R4 resource type");

    private static RequestRefusedException EntryNotAnObject(ResourcePath path, int index) => Refused(path.Member($"entry[{index}]"), "must be an object");

    private static RequestRefusedException Refused(string path, string message) => new(new ProtocolError(path, message));

    /// <summary>
    /// The members of a resource the walk acts on, looked up by length and first byte: a resource has dozens of members
    /// and most match none of these, so most cost one table read. Escaped names are compared in full.
    /// </summary>
    private static class ResourceMembers
    {
        public const int Other = 0;
        public const int ResourceType = 1;
        public const int Id = 2;
        public const int Entry = 3;
        public const int Link = 4;

        /// <summary>Coded element i of <see cref="RecordInterest.CodedElements"/> is FirstCoded + i.</summary>
        public const int FirstCoded = 16;

        /// <summary>Presence element i of <see cref="RecordInterest.PresenceElements"/> is FirstPresence + i.</summary>
        public const int FirstPresence = 32;

        private static readonly Utf8NameTable<int> Table = RecordInterest.CodedElements.Count <= RecordedConcepts.MaxElements
            ? new([
                ("resourceType", ResourceType), ("id", Id), ("entry", Entry), ("link", Link),
                .. RecordInterest.CodedElements.Select((name, i) => (name, FirstCoded + i)),
                .. RecordInterest.PresenceElements.Select((name, i) => (name, FirstPresence + i)),
            ])
            : throw new InvalidOperationException($"RecordInterest declares more coded elements than the walk records ({RecordedConcepts.MaxElements}).");

        /// <summary>Which member the property name at the reader is.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int Of(ref LimitedJsonReader reader)
        {
            if (reader.ValueIsEscaped)
            {
                return OfEscaped(ref reader);
            }

            return Table.TryFind(reader.ValueSpan, out var member) ? member : Other;
        }

        private static int OfEscaped(ref LimitedJsonReader reader)
        {
            var names = Table.All;
            for (var i = 0; i < names.Count; i++)
            {
                if (reader.Is(names[i].Utf8))
                {
                    return names[i].Value;
                }
            }

            return Other;
        }
    }
}

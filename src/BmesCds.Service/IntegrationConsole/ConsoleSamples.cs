using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BmesCds.CdsHooks.Json;

namespace BmesCds.Service.IntegrationConsole;

/// <summary>One sample request of samples/cases, as the console lists it.</summary>
/// <param name="Id">The file name without <c>.request.json</c>, e.g. <c>C1-ct-after-normal-left-hip-xray</c>.</param>
/// <param name="Title">The sample patient's name, which says what the case shows ("C1 CT after normal left hip X-ray").</param>
/// <param name="Hook">The request's hook.</param>
/// <param name="Note">The request's <c>org.bmes-cds.sample-note</c> extension, when it has one.</param>
/// <param name="Request">The request body itself.</param>
public sealed record ConsoleSample(string Id, string Title, string Hook, string? Note, JsonNode Request);

/// <summary>The samples and the instant they are written for (their dates count back from it), in UTC ("...Z").</summary>
public sealed record ConsoleSampleList(DateTime WrittenFor, IReadOnlyList<ConsoleSample> Samples);

/// <summary>
/// The sample requests of samples/cases, embedded in the assembly at build time (see the project file), so that the
/// console offers them wherever the service runs, a published binary or a container included, with nothing to
/// configure. Read once, on first use; served as one precomputed JSON document.
/// </summary>
public sealed class ConsoleSamples
{
    /// <summary>The instant scripts/make-clinical-cases.py writes every sample against (the golden tests' clock).</summary>
    public static readonly DateTimeOffset WrittenFor = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private const string ResourcePrefix = "console-samples/";
    private const string RequestSuffix = ".request.json";
    private const string NoteExtension = "org.bmes-cds.sample-note";

    private readonly Lazy<(ConsoleSampleList List, byte[] Json)> _samples = new(Load);

    public ConsoleSampleList List => _samples.Value.List;

    /// <summary>The list as served by GET /console/samples.</summary>
    public ReadOnlyMemory<byte> Json => _samples.Value.Json;

    private static (ConsoleSampleList, byte[]) Load()
    {
        var assembly = typeof(ConsoleSamples).Assembly;
        var samples = new List<ConsoleSample>();
        foreach (var name in assembly.GetManifestResourceNames().Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var request = JsonNode.Parse(stream)!;
            var id = name[ResourcePrefix.Length..^RequestSuffix.Length];
            samples.Add(new ConsoleSample(id, TitleOf(request) ?? id, (string?)request["hook"] ?? "?", (string?)request["extension"]?[NoteExtension], request));
        }

        samples.Sort((a, b) => NaturalOrder.Compare(a.Id, b.Id));
        var list = new ConsoleSampleList(WrittenFor.UtcDateTime, samples);
        return (list, JsonSerializer.SerializeToUtf8Bytes(list, CdsJson.Options));
    }

    // "C1 CT after normal left hip X-ray": the given name is the case id, the family name its title in words.
    private static string? TitleOf(JsonNode request)
    {
        var name = request["prefetch"]?["patient"]?["name"]?[0];
        var given = name?["given"]?[0]?.GetValue<string>();
        var family = (string?)name?["family"];
        return given is null || family is null ? null : $"{given} {family}";
    }

    /// <summary>C2 before C10: runs of digits compare by value.</summary>
    private static class NaturalOrder
    {
        public static int Compare(string a, string b)
        {
            int i = 0, j = 0;
            while (i < a.Length && j < b.Length)
            {
                if (char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
                {
                    var (x, nextI) = Number(a, i);
                    var (y, nextJ) = Number(b, j);
                    if (x != y)
                    {
                        return x.CompareTo(y);
                    }

                    (i, j) = (nextI, nextJ);
                    continue;
                }

                if (a[i] != b[j])
                {
                    return a[i].CompareTo(b[j]);
                }

                i++;
                j++;
            }

            return (a.Length - i).CompareTo(b.Length - j);
        }

        private static (long Value, int Next) Number(string text, int start)
        {
            var end = start;
            while (end < text.Length && char.IsAsciiDigit(text[end]) && end - start < 18)
            {
                end++;
            }

            return (long.Parse(text.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture), end);
        }
    }
}

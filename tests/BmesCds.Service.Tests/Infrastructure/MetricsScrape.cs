using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using BmesCds.Service.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace BmesCds.Service.Tests.Infrastructure;

/// <summary>
/// The Prometheus text a host serves at /metrics, parsed into samples (name, labels, value), to check what the service
/// exports. Counters are cumulative for the process's meters, so tests compare a scrape after their calls with one before.
/// </summary>
public sealed partial class MetricsScrape
{
    private MetricsScrape(string text, IReadOnlyList<Sample> samples)
    {
        Text = text;
        Samples = samples;
    }

    public string Text { get; }

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>The metric families named in the exposition (from its <c># TYPE</c> lines).</summary>
    public IReadOnlySet<string> Families => TypeLine().Matches(Text).Select(match => match.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    public static async Task<MetricsScrape> FromAsync(HttpClient client, string managementKey = BmesCdsFactory.ManagementKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", managementKey);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return Parse(text);
    }

    public static MetricsScrape Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.That(match.Success, Is.True, $"not a Prometheus sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(pair => pair.Groups[1].Value, pair => pair.Groups[2].Value, StringComparer.Ordinal);
            samples.Add(new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return new MetricsScrape(text, samples);
    }

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include every given pair.</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(sample => sample.Name == name && labels.All(l => sample.Labels.TryGetValue(l.Label, out var v) && v == l.Value))
            .Sum(sample => sample.Value);

    /// <summary>A BmesMetrics on a meter factory of its own, for tests that build a service by hand.</summary>
    public static BmesMetrics StandaloneMetrics() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LabelPair();

    [GeneratedRegex(@"^# TYPE (\S+) \S+", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}

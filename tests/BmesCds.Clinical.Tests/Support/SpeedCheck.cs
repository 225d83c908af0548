using System.Diagnostics;
using System.Text.Json;
using BmesCds.Clinical.Fhir;

namespace BmesCds.Clinical.Tests.Support;

/// <summary>Review aid: how long a large hook takes, selective reading against parsing every resource.</summary>
public class SpeedCheck
{
    [Test]
    [Explicit("Timing, prints only.")]
    public void Print_timing_of_a_hook_with_two_thousand_resources()
    {
        var noise = Enumerable.Range(0, 2000).Select(i =>
            $$$"""{"resource":{"resourceType":"Observation","id":"o{{{i}}}","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2951-2","display":"Sodium"}]},"effectiveDateTime":"2026-11-01","valueQuantity":{"value":140,"unit":"mmol/L"},"referenceRange":[{"low":{"value":135},"high":{"value":145}}]}}""");
        var bundle = JsonDocument.Parse($$"""{"resourceType":"Bundle","type":"searchset","entry":[{{string.Join(",", noise)}}]}""").RootElement.Clone();
        var caseRequest = File.ReadAllText(Fixtures.CaseFiles().First());
        var reader = Fixtures.Reader();
        var engine = Fixtures.Engine();
        reader.Read(bundle);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            reader.Read(bundle);
        }

        var selective = watch.Elapsed / 10;
        watch.Restart();
        foreach (var entry in bundle.GetProperty("entry").EnumerateArray())
        {
            LenientFhirReader.Read(entry.GetProperty("resource"));
        }

        var everything = watch.Elapsed;
        var request = Fixtures.ToRequest(caseRequest);
        watch.Restart();
        for (var i = 0; i < 100; i++)
        {
            engine.Evaluate(request);
        }

        TestContext.Out.WriteLine($"2000 irrelevant resources: selective read {selective.TotalMilliseconds:0.0} ms, parse-all {everything.TotalMilliseconds:0.0} ms; engine per C1 request {watch.Elapsed.TotalMilliseconds / 100:0.00} ms");
    }
}

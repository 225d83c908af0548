using System.Net;
using System.Text.Json;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Samples;

/// <summary>
/// Golden files: every samples/**/X.request.json is posted through the real host (clock fixed at the samples' "now")
/// and its answer compared with X.response.json, uuids normalised. X.patient.json, the same patient as a transaction
/// Bundle, must match the request's prefetch. BMES_UPDATE_GOLDEN=1 rewrites both kinds of file.
/// </summary>
public sealed class SampleGoldenTests : HostedTests
{
    public static IEnumerable<string> Samples() => SampleFiles.Requests();

    [Test]
    public void There_are_samples()
    {
        Assert.That(Samples().Count(), Is.GreaterThanOrEqualTo(10));
    }

    [TestCaseSource(nameof(Samples))]
    public async Task Sample_answer_matches_its_response_file(string sample)
    {
        var request = Json.Load(SampleFiles.FullPath(sample));

        var response = await Client.PostAsync($"/cds-services/{SampleFiles.ServiceFor(request)}", Json.Body(request));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Golden.AssertMatches(SampleFiles.ResponsePath(sample), await Json.ReadAsync(response));
    }

    [TestCaseSource(nameof(Samples))]
    public void Sample_patient_bundle_matches_its_prefetch(string sample)
    {
        var bundle = SampleFiles.PatientBundle(Json.Load(SampleFiles.FullPath(sample)));

        using var document = JsonDocument.Parse(bundle.ToJsonString());
        Golden.AssertMatches(SampleFiles.PatientPath(sample), document.RootElement);
    }
}

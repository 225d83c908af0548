using System.Text.Json.Nodes;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Samples;

/// <summary>
/// Every sample patient carries a made-up name that says what its case shows (scripts/make-clinical-cases.py derives it
/// from the case file name), so a sandbox tester sees "C1 CT after normal left hip X-ray" instead of "Unknown". Names
/// are patient data all the same: they never reach the log.
/// </summary>
public sealed class SamplePatientNameTests : HostedTests
{
    public static IEnumerable<string> Samples() => SampleFiles.Requests();

    private static JsonNode PatientOf(string sample) => Json.Load(SampleFiles.FullPath(sample))["prefetch"]!["patient"]!;

    [TestCaseSource(nameof(Samples))]
    public void The_sample_patient_is_named_after_its_case(string sample)
    {
        var caseId = Path.GetFileName(sample).Split('-')[0];
        var name = PatientOf(sample)["name"]![0]!;

        Assert.That((string?)name["use"], Is.EqualTo("anonymous"), "a made-up name");
        Assert.That((string?)name["given"]![0], Is.EqualTo(caseId));
        Assert.That((string?)name["family"], Is.Not.Empty);
        Assert.That((string?)name["text"], Is.EqualTo($"{caseId} {(string?)name["family"]}"));
    }

    [Test]
    public void Each_sample_patient_id_has_one_name_so_loading_them_all_keeps_every_name()
    {
        var names = Samples().Select(PatientOf).GroupBy(patient => (string)patient["id"]!);

        Assert.That(names.Where(group => group.Select(p => (string?)p["name"]![0]!["text"]).Distinct().Count() > 1).Select(g => g.Key), Is.Empty);
    }

    [Test]
    public async Task A_sample_patient_name_never_reaches_the_log()
    {
        const string Sample = "cases/C1-ct-after-normal-left-hip-xray.request.json";
        var request = Json.Load(SampleFiles.FullPath(Sample));
        var family = (string)request["prefetch"]!["patient"]!["name"]![0]!["family"]!;

        var response = await Client.PostAsync($"/cds-services/{SampleFiles.ServiceFor(request)}", Json.Body(request));

        Assert.That(response.IsSuccessStatusCode, Is.True);
        Assert.That(Factory.Logs.All, Does.Contain((string)request["hookInstance"]!), "the call was logged");
        Assert.That(Factory.Logs.All, Does.Not.Contain(family));
    }
}

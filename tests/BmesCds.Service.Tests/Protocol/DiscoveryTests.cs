using System.Net;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Protocol;

public sealed class DiscoveryTests : HostedTests
{
    [Test]
    public async Task Discovery_matches_the_golden_file()
    {
        var response = await Client.GetAsync("/cds-services");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Golden.AssertMatches(Repository.Combine("samples", "discovery.response.json"), await Json.ReadAsync(response));
    }

    [Test]
    public async Task Discovery_lists_the_three_services_with_their_hooks()
    {
        var services = (await Json.ReadAsync(await Client.GetAsync("/cds-services"))).GetProperty("services");

        var pairs = services.EnumerateArray()
            .Select(service => (service.GetProperty("id").GetString(), service.GetProperty("hook").GetString()))
            .ToList();
        Assert.That(pairs, Is.EqualTo(new[]
        {
            ("bmes-order-select", "order-select"),
            ("bmes-order-sign", "order-sign"),
            ("bmes-patient-view", "patient-view"),
        }));
    }

    [Test]
    public async Task Every_service_has_title_description_usage_and_prefetch_with_only_CDS_Hooks_2_tokens()
    {
        var services = (await Json.ReadAsync(await Client.GetAsync("/cds-services"))).GetProperty("services");

        foreach (var service in services.EnumerateArray())
        {
            Assert.That(service.GetProperty("title").GetString(), Is.Not.Empty);
            Assert.That(service.GetProperty("description").GetString(), Is.Not.Empty);
            Assert.That(service.GetProperty("usageRequirements").GetString(), Is.Not.Empty);
            foreach (var template in service.GetProperty("prefetch").EnumerateObject())
            {
                var tokens = System.Text.RegularExpressions.Regex.Matches(template.Value.GetString()!, "{{([^}]*)}}")
                    .Select(match => match.Groups[1].Value);
                Assert.That(tokens, Is.SubsetOf(new[] { "context.patientId", "context.encounterId", "context.userId", "userPractitionerId" }));
            }
        }
    }

    [Test]
    public async Task Discovery_is_served_as_json()
    {
        var response = await Client.GetAsync("/cds-services");

        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
    }
}

using System.Net;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Operations;

/// <summary>
/// With client authentication off the management scheme is the host's only one, which ASP.NET Core makes the default:
/// it must still answer only where the management policy is required, not refuse (and log, and count) every CDS call.
/// </summary>
public sealed class ManagementSchemeScopeTests
{
    [Test]
    public async Task With_client_auth_off_a_cds_call_is_not_judged_by_the_management_scheme()
    {
        using var factory = new BmesCdsFactory();
        using var client = factory.CreateClient();

        using var hook = await client.PostAsync("/cds-services/bmes-order-select", Json.Body(Json.Load(SampleFiles.FullPath("cases/C1-ct-after-normal-left-hip-xray.request.json"))));
        using var discovery = await client.GetAsync("/cds-services");
        using var report = await client.GetAsync("/admin/report");

        Assert.That((hook.StatusCode, discovery.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(report.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the management endpoints still need a key");
        var refusals = factory.Logs.Lines.Where(line => line.Contains("Management call refused", StringComparison.Ordinal)).ToList();
        Assert.That(refusals, Has.Count.EqualTo(1).And.All.Contains("/admin/report"), "one refusal, for the admin call only");
    }
}

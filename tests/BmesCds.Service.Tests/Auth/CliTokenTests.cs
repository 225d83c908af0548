using System.Net;
using System.Net.Http.Headers;
using BmesCds.Cli;
using BmesCds.Service.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace BmesCds.Service.Tests.Auth;

/// <summary>The README workflow of an integration engineer: keygen, register the JWKS file, mint a token, call.</summary>
[TestFixture]
public sealed class CliTokenTests
{
    [TestCase("ES384")]
    [TestCase("RS384")]
    public async Task Token_minted_by_bmes_cds_for_a_registered_key_opens_a_secured_instance(string alg)
    {
        var folder = Directory.CreateTempSubdirectory("bmes-e2e-").FullName;
        try
        {
            Assert.That(Cli(out _, "keygen", "--alg", alg, "--out", folder), Is.EqualTo(0));
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Auth:PublicBaseUrl"] = "https://cds.example.org",
                ["Auth:TrustedClients:0:Issuer"] = "https://ehr.example.com",
                ["Auth:TrustedClients:0:JwksFile"] = Path.Combine(folder, "jwks.json"),
            });
            builder.Services.AddCdsClientAuthentication(builder.Configuration, builder.Environment);
            await using var app = builder.Build();
            app.UseCdsClientAuthentication();
            app.MapPost("/cds-services/bmes-order-select", () => "{\"cards\":[]}");
            await app.StartAsync();
            using var client = app.GetTestClient();

            Assert.That(Cli(out var token, "token", "--key", Path.Combine(folder, "private-key.pem"), "--alg", alg,
                "--iss", "https://ehr.example.com", "--aud", "https://cds.example.org/cds-services/bmes-order-select"), Is.EqualTo(0));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/cds-services/bmes-order-select");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
            using var response = await client.SendAsync(request);

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int Cli(out string stdout, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = CliApp.Run(args, output, errors);
        stdout = output.ToString();
        if (code != 0)
        {
            TestContext.Out.WriteLine(errors.ToString());
        }

        return code;
    }
}

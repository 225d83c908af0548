using System.Diagnostics;
using BmesCds.Service.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace BmesCds.Service.Tests.Auth;

/// <summary>Not a test: the cost of validating one token (README "Authentication"). Run with
/// <c>dotnet test -c Release --filter "FullyQualifiedName~ValidationCostMeasurement"</c>.</summary>
[TestFixture]
[Explicit("a measurement, not a check")]
public sealed class ValidationCostMeasurement
{
    [TestCase("ES384", 2000)]
    [TestCase("RS384", 2000)]
    public async Task Validation_cost_per_token(string alg, int count)
    {
        using var key = alg.StartsWith("ES", StringComparison.Ordinal) ? TestSigningKey.Ec(alg) : TestSigningKey.Rsa(alg);
        using var services = AuthServices.Build(new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Required",
            ["Auth:PublicBaseUrl"] = "https://cds.example.org",
            ["Auth:TrustedClients:0:Issuer"] = "https://ehr.example.com",
            ["Auth:TrustedClients:0:Jwks"] = TestSigningKey.Jwks(key),
        }, TimeProvider.System);
        var validator = services.GetRequiredService<CdsClientTokenValidator>();
        var endpoint = new Uri("https://cds.example.org/cds-services/bmes-order-select");
        var tokens = Enumerable.Range(0, count + 200)
            .Select(_ => TokenBuilder.For(key, "https://ehr.example.com", endpoint.AbsoluteUri, DateTimeOffset.UtcNow).SignWith(key))
            .ToArray();
        foreach (var token in tokens[..200])
        {
            await validator.ValidateAsync(token, endpoint, CancellationToken.None); // warm-up
        }

        var watch = Stopwatch.StartNew();
        foreach (var token in tokens[200..])
        {
            var outcome = await validator.ValidateAsync(token, endpoint, CancellationToken.None);
            Assert.That(outcome.Succeeded, Is.True);
        }

        watch.Stop();
        TestContext.Out.WriteLine($"{alg}: {watch.Elapsed.TotalMicroseconds / count:F0} µs per token ({count} tokens, 1 thread)");
    }
}

using System.Diagnostics;
using System.Net;
using BmesCds.CdsHooks.Json;
using BmesCds.Service.Tests.Infrastructure;

namespace BmesCds.Service.Tests.Fuzzing;

/// <summary>
/// Issue 12: no request body gets a 5xx. Every sample request (and every sandbox capture) is mutated from a fixed seed
/// (<see cref="Mutator"/>) and posted to the real host in process (two of them, and the integration console as well as
/// the services: <see cref="FuzzRoute"/>); each answer must pass <see cref="AnswerCheck"/>,
/// no Error or Critical line may be logged, and afterwards worked case C1 still gets its answer from both.
/// BMES_FUZZ_INPUTS (default 20,000), BMES_FUZZ_SEED and BMES_FUZZ_INDEX change the run (docs/reliability.md, "Fuzzing").
/// </summary>
[NonParallelizable]
public sealed class HookFuzzTests
{
    // Four calls at once keep both cores of the build machine busy without queueing behind each other.
    private const int CallsAtOnce = 4;

    [Test]
    public async Task Every_mutated_request_is_answered_without_a_5xx_and_the_host_keeps_serving()
    {
        var settings = FuzzSettings.FromEnvironment();
        using var deleteAndCreate = new FuzzHost("DeleteAndCreate");
        using var update = new FuzzHost("Update");
        FuzzHost[] hosts = [deleteAndCreate, update];
        foreach (var host in hosts)
        {
            await AssertC1GetsItsAnswer(host);
            host.ClearErrors();
        }

        var mutator = new Mutator(settings.Seed, FuzzSeeds.All, new RequestLimits());
        var tally = new FuzzTally();
        var failures = new FuzzFailures(settings);
        var run = Stopwatch.StartNew();
        await Parallel.ForEachAsync(settings.Indexes(), new ParallelOptions { MaxDegreeOfParallelism = CallsAtOnce }, async (index, cancel) =>
        {
            var input = mutator.Create(index);
            var route = FuzzRoute.For(index, input, deleteAndCreate, update);
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await route.Host.Client.SendAsync(Request(input, route.Path), cancel);
                var body = await response.Content.ReadAsStringAsync(cancel);
                var status = (int)response.StatusCode;
                tally.Count(input, route, status, Stopwatch.GetElapsedTime(started));
                if (AnswerCheck.Problem(route.Answer, status, response.Content.Headers.ContentType?.MediaType, body) is { } problem)
                {
                    failures.Add(input, $"{problem} (POST {route.Path}, {route.Name})", status, body);
                }
            }
            catch (HttpRequestException failure)
            {
                // The in-process server let an exception through instead of answering.
                failures.Add(input, $"no answer (POST {route.Path}, {route.Name}): {failure.Message}", null, failure.ToString());
            }
        });
        run.Stop();

        await TestContext.Out.WriteLineAsync(
            $"Fuzz run: seed {settings.Seed}, {tally.Total:N0} inputs from {FuzzSeeds.All.Count} seeds ({mutator.Paths.Shapes.Count} path shapes, {mutator.Paths.PropertyShapes.Count} of them properties) " +
            $"in {run.Elapsed.TotalSeconds:F1} s, {CallsAtOnce} at once; slowest: {tally.Slowest?.Duration.TotalMilliseconds:F0} ms ({tally.Slowest?.Input})");
        await TestContext.Out.WriteLineAsync(tally.Table());
        await TestContext.Out.WriteLineAsync(tally.RoutesTable());
        var lines = hosts.SelectMany(host => host.LogLevels.Counts).GroupBy(pair => pair.Key, pair => pair.Value).OrderBy(group => group.Key);
        await TestContext.Out.WriteLineAsync("Log lines: " + string.Join(", ", lines.Select(group => $"{group.Key} {group.Sum():N0}")));

        var errors = hosts.SelectMany(host => host.Errors).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(tally.Total, Is.EqualTo(settings.Indexes().Count()), "every input was answered or reported");
            Assert.That(failures.Count, Is.Zero, failures.Report());
            Assert.That(errors, Is.Empty, "no Error or Critical log line during the run; the first ones:\n" + string.Join('\n', errors.Take(5)));
        });
        foreach (var host in hosts)
        {
            await AssertC1GetsItsAnswer(host);
        }
    }

    [Test]
    public void The_run_has_every_mutation_kind_and_gives_every_path_shape_every_type()
    {
        var settings = FuzzSettings.FromEnvironment();
        var mutator = new Mutator(settings.Seed, FuzzSeeds.All, new RequestLimits());
        var plan = mutator.Plan(settings.Inputs);

        Assert.That(plan.Keys, Is.EquivalentTo(Enum.GetValues<MutationKind>()), "a run of BMES_FUZZ_INPUTS sends every kind");
        if (settings.Inputs >= FuzzSettings.DefaultInputs)
        {
            Assert.That(plan[MutationKind.TypeSwap], Is.GreaterThanOrEqualTo(mutator.Paths.Shapes.Count * Enum.GetValues<TypeSwap.JsonType>().Length),
                "the default run swaps every path shape to every JSON type");
            Assert.That(plan[MutationKind.FieldDeletion], Is.GreaterThanOrEqualTo(mutator.Paths.PropertyShapes.Count), "and deletes every property shape");
        }
    }

    [Test]
    public void An_input_is_rebuilt_byte_for_byte_from_the_seed_and_its_index()
    {
        var first = new Mutator(FuzzSettings.DefaultSeed, FuzzSeeds.All, new RequestLimits());
        var second = new Mutator(FuzzSettings.DefaultSeed, FuzzSeeds.All, new RequestLimits());
        var other = new Mutator(FuzzSettings.DefaultSeed + 1, FuzzSeeds.All, new RequestLimits());

        foreach (var index in new[] { 0, 1, 7, 39, 40, 1234, 19_999 })
        {
            var input = first.Create(index);
            Assert.That(second.Create(index).Body, Is.EqualTo(input.Body), $"input {index} ({input.Kind})");
        }

        Assert.That(Enumerable.Range(0, 40).Count(index => !other.Create(index).Body.SequenceEqual(first.Create(index).Body)), Is.GreaterThan(30),
            "another seed gives other inputs");
    }

    private static HttpRequestMessage Request(FuzzInput input, string path)
    {
        var content = new ByteArrayContent(input.Body);
        if (input.ContentType is { } contentType)
        {
            // Without validation: some of the media types tried are malformed on purpose.
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    private static async Task AssertC1GetsItsAnswer(FuzzHost host)
    {
        var response = await host.Client.PostAsync("/cds-services/bmes-order-select", new ByteArrayContent(LargeRequests.C1())
        {
            Headers = { ContentType = new("application/json") },
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var answer = await Json.ReadAsync(response);
        if (host.ReplaceAction == "DeleteAndCreate")
        {
            Golden.AssertMatches(Path.Combine(Repository.Cases, "C1-ct-after-normal-left-hip-xray.response.json"), answer);
        }
        else
        {
            var actions = answer.GetProperty("cards")[0].GetProperty("suggestions")[0].GetProperty("actions");
            Assert.That(actions.EnumerateArray().Select(action => action.GetProperty("type").GetString()), Is.EqualTo(new[] { "update" }));
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;
using BmesCds.CdsHooks.Discovery;
using BmesCds.CdsHooks.Explanation;
using BmesCds.CdsHooks.Pipeline;
using BmesCds.Clinical;
using BmesCds.Testing;

namespace BmesCds.CdsHooks.Tests.Explanation;

/// <summary>
/// The explanation of a hook call, from the pipeline's outcome: what each judgement's rules did and why, including the
/// cases where no rule ran (a silence before the rules, an order that is not there, a rule switched off), and a refusal.
/// </summary>
public class HookExplainerTests
{
    private static readonly DateTimeOffset Now = SampleClock.SampleNow;

    private static async Task<HookExplanation> ExplainAsync(string json, CdsServiceDefinition service, ClinicalOptions? clinical = null)
    {
        var pipeline = HookPipeline.Create(Vocabulary.Terminology, clinical);
        var outcome = await pipeline.InvokeAsync(Encoding.UTF8.GetBytes(json), service, new HookEnvironment(Now), CancellationToken.None);
        return HookExplainer.Explain(outcome, service, Now);
    }

    private static string Sample(string name) => File.ReadAllText(Path.Combine(Repository.Cases, name + ".request.json"));

    private static CdsServiceDefinition Service(string id) => CdsServiceCatalogue.Find(id)!;

    [Test]
    public async Task Patient_view_explains_the_painful_knee_by_joint_and_side_without_an_order()
    {
        var explanation = await ExplainAsync(Sample("X15-patient-view-normal-knee-xray"), Service("bmes-patient-view"));

        var judgement = explanation.Judgements.Single();
        Assert.That((judgement.Joint, judgement.Order, judgement.OrderClass, judgement.CardRule), Is.EqualTo(("knee", (string?)null, (string?)null, "mri-recommended")));
        Assert.That(judgement.Rules.Select(rule => rule.Id), Is.EqualTo(new[] { "osteonecrosis-findings", "early-osteonecrosis-not-excluded", "osteonecrosis-risk", "mri-recommended" }),
            "the rules of patient-view, highest priority first");
        Assert.That(judgement.Rules.Single(rule => rule.Outcome == "fired").Id, Is.EqualTo("mri-recommended"));
    }

    [Test]
    public async Task A_silence_before_the_rules_lists_every_rule_as_not_run_for_that_silence()
    {
        var explanation = await ExplainAsync(Sample("C5-fever-and-high-crp"), Service("bmes-order-select"));

        var judgement = explanation.Judgements.Single();
        Assert.That(judgement.Outcome, Is.EqualTo("silent"));
        Assert.That(judgement.Silence!.Code, Is.EqualTo("inflammation"));
        Assert.That(judgement.Rules, Has.Count.EqualTo(6));
        Assert.That(judgement.Rules.Select(rule => (rule.Outcome, rule.Why)), Has.All.EqualTo(("not-run", "inflammation or infection red flag")));
        Assert.That(judgement.Findings.Select(finding => finding.Name), Does.Contain("INFLAMMATION"));
    }

    [Test]
    public async Task A_selection_that_names_no_draft_order_is_explained_as_such()
    {
        var request = JsonNode.Parse(Sample("C1-ct-after-normal-left-hip-xray"))!;
        request["context"]!["selections"] = new JsonArray("ServiceRequest/not-there");

        var explanation = await ExplainAsync(request.ToJsonString(), Service("bmes-order-select"));

        var judgement = explanation.Judgements.Single();
        Assert.That((judgement.Subject, judgement.Silence!.Code), Is.EqualTo(("ServiceRequest/not-there", "selection-not-found")));
        Assert.That(judgement.Rules.Select(rule => rule.Outcome), Has.All.EqualTo("not-run"));
    }

    [Test]
    public async Task A_rule_switched_off_at_the_site_is_not_run_and_says_why()
    {
        var clinical = new ClinicalOptions().DisableRules(["replace-with-mri"]);

        var explanation = await ExplainAsync(Sample("C1-ct-after-normal-left-hip-xray"), Service("bmes-order-select"), clinical);

        var judgement = explanation.Judgements.Single();
        var rule = judgement.Rules.Single(r => r.Id == "replace-with-mri");
        Assert.That((rule.Outcome, rule.Why), Is.EqualTo(("not-run", "switched off at this site (Rules:Disabled)")));
        Assert.That((judgement.Outcome, judgement.Silence!.Code), Is.EqualTo(("silent", "no-rule-fired")));
    }

    [Test]
    public async Task A_refused_request_is_explained_by_its_field_and_status_with_nothing_judged()
    {
        var explanation = await ExplainAsync("""{"hook":"order-select","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea"}""", Service("bmes-order-select"));

        Assert.That(explanation.Status, Is.EqualTo(400));
        Assert.That(explanation.Refusal!.Field, Is.EqualTo("context"));
        Assert.That(explanation.Judgements, Is.Empty);
        Assert.That(explanation.HookInstance, Is.Null, "the request was not read far enough to have one");
    }

    [Test]
    public async Task Offline_keys_left_out_of_the_prefetch_are_not_fetched_and_say_so()
    {
        var request = JsonNode.Parse(Sample("C1-ct-after-normal-left-hip-xray"))!;
        request["prefetch"]!.AsObject().Remove("conditions");

        var explanation = await ExplainAsync(request.ToJsonString(), Service("bmes-order-select"));

        var conditions = explanation.Prefetch.Single(key => key.Key == "conditions");
        Assert.That((conditions.Source, conditions.Detail), Is.EqualTo(("not-fetched", "not fetched: offline evaluation uses the prefetch alone")));
        Assert.That(explanation.Prefetch.Where(key => key.Key != "conditions").Select(key => key.Source), Has.All.EqualTo("supplied"));
    }
}

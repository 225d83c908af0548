using BmesCds.Clinical.Engine;
using BmesCds.Clinical.Rules;

namespace BmesCds.CdsHooks.Requests;

/// <summary>The wire names of the hooks.</summary>
public static class HookNames
{
    public const string OrderSelect = "order-select";
    public const string OrderSign = "order-sign";
    public const string PatientView = "patient-view";

    /// <summary>The wire name of a hook; the one mapping lives beside the rule catalogue.</summary>
    public static string Of(HookKind hook) => RuleCatalogue.HookName(hook);
}

using BmesCds.Clinical.Engine;

namespace BmesCds.CdsHooks.Requests;

/// <summary>The wire names of the hooks: the one mapping between a CDS Hooks hook name and <see cref="HookKind"/>.</summary>
public static class HookNames
{
    public const string OrderSelect = "order-select";
    public const string OrderSign = "order-sign";
    public const string PatientView = "patient-view";

    public static string Of(HookKind hook) => hook switch
    {
        HookKind.OrderSelect => OrderSelect,
        HookKind.OrderSign => OrderSign,
        HookKind.PatientView => PatientView,
        _ => throw new ArgumentOutOfRangeException(nameof(hook), hook, "not a hook BmesCds answers"),
    };

    /// <summary>The hook a wire name names, or null for a hook BmesCds does not answer.</summary>
    public static HookKind? Parse(string? name) => name switch
    {
        OrderSelect => HookKind.OrderSelect,
        OrderSign => HookKind.OrderSign,
        PatientView => HookKind.PatientView,
        _ => null,
    };
}

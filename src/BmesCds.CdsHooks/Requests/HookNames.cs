using BmesCds.Clinical.Engine;

namespace BmesCds.CdsHooks.Requests;

/// <summary>The wire names of the hooks.</summary>
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
        _ => throw new ArgumentOutOfRangeException(nameof(hook), hook, "unknown hook"),
    };
}

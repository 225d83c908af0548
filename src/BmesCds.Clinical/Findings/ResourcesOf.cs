using Hl7.Fhir.Model;

namespace BmesCds.Clinical.Findings;

/// <summary>
/// The resources of one type in a record, in record order: what <c>OfType&lt;T&gt;()</c> gives, walked by index, so that
/// the several passes over a record per call allocate no iterator or boxed enumerator.
/// </summary>
internal readonly struct ResourcesOf<T>(IReadOnlyList<Resource> resources)
    where T : Resource
{
    public Enumerator GetEnumerator() => new(resources);

    public struct Enumerator(IReadOnlyList<Resource> resources)
    {
        private int _index = -1;

        public T Current { get; private set; } = null!;

        public bool MoveNext()
        {
            while (++_index < resources.Count)
            {
                if (resources[_index] is T found)
                {
                    Current = found;
                    return true;
                }
            }

            return false;
        }
    }
}

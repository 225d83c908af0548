using BmesCds.Clinical.Imaging;

namespace BmesCds.Clinical.Tests.Imaging;

/// <summary>The allocation-free relevance question agrees with the parser on every kind of order text.</summary>
public class NamesModalityTests
{
    [TestCase("MR HIP LT WO")]
    [TestCase("MRI left hip without contrast")]
    [TestCase("X-ray pelvis 2 views")]
    [TestCase("XR KNEE 3 VIEWS")]
    [TestCase("knee, 3 views")]
    [TestCase("Bone scan, whole body")]
    [TestCase("bone density")]
    [TestCase("CT lower extremity w/o contrast")]
    [TestCase("Computed tomography of ankle")]
    [TestCase("US abdomen")]
    [TestCase("Comprehensive metabolic 2000 panel - Serum or Plasma")]
    [TestCase("CBC panel")]
    [TestCase("x")]
    [TestCase("ray")]
    [TestCase("X | ray")]
    [TestCase("")]
    [TestCase("Magnetic resonance imaging of pelvis and hip")]
    [TestCase("Radiographs of the left hip | Hip Views")]
    [TestCase("supercalifragilisticexpialidociousandlonger mri")]
    [TestCase("SPECT")]
    [TestCase("HIP 2 VIEWSW/O")]
    [TestCase("MRIW/O CONTRAST")]
    [TestCase("x w/o ray")]
    [TestCase("xw/oray")]
    public void Agrees_with_the_parser(string text) =>
        Assert.That(ImagingTextParser.NamesModality(text), Is.EqualTo(ImagingTextParser.Parse(text).Modality is not null));
}

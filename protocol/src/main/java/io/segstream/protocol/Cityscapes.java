package io.segstream.protocol;

import java.util.List;

/** The 19 Cityscapes training classes (trainIds) with the dataset's standard palette. */
public final class Cityscapes {

    public static final int ROAD = 0;
    public static final int SIDEWALK = 1;
    public static final int PERSON = 11;
    public static final int RIDER = 12;
    public static final int CAR = 13;
    public static final int TRUCK = 14;
    public static final int BUS = 15;
    public static final int TRAIN = 16;
    public static final int MOTORCYCLE = 17;
    public static final int BICYCLE = 18;

    public static final Taxonomy TAXONOMY = new Taxonomy(
            "cityscapes",
            List.of(
                    new SegmentationClass(0, "road", 0x804080),
                    new SegmentationClass(1, "sidewalk", 0xF423E8),
                    new SegmentationClass(2, "building", 0x464646),
                    new SegmentationClass(3, "wall", 0x66669C),
                    new SegmentationClass(4, "fence", 0xBE9999),
                    new SegmentationClass(5, "pole", 0x999999),
                    new SegmentationClass(6, "traffic light", 0xFAAA1E),
                    new SegmentationClass(7, "traffic sign", 0xDCDC00),
                    new SegmentationClass(8, "vegetation", 0x6B8E23),
                    new SegmentationClass(9, "terrain", 0x98FB98),
                    new SegmentationClass(10, "sky", 0x4682B4),
                    new SegmentationClass(11, "person", 0xDC143C),
                    new SegmentationClass(12, "rider", 0xFF0000),
                    new SegmentationClass(13, "car", 0x00008E),
                    new SegmentationClass(14, "truck", 0x000046),
                    new SegmentationClass(15, "bus", 0x003C64),
                    new SegmentationClass(16, "train", 0x005064),
                    new SegmentationClass(17, "motorcycle", 0x0000E6),
                    new SegmentationClass(18, "bicycle", 0x770B20)));

    /** Classes a driver treats as vehicles. */
    public static final List<Integer> VEHICLES = List.of(CAR, TRUCK, BUS, TRAIN, MOTORCYCLE, BICYCLE);

    private Cityscapes() {}
}
